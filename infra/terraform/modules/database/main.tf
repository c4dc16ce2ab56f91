# RDS MySQL 8.4 LTS reachable on 3306 only from the security groups it is given. The master
# password is generated and kept in Secrets Manager by RDS; it never enters Terraform.
locals {
  # RDS for MySQL offers Performance Insights (now Database Insights) on every class except
  # these, as AWS documents ("Amazon RDS DB engine, Region, and instance class support for
  # Database Insights"); asking for it on them fails the create.
  classes_without_insights = [
    "db.t2.micro", "db.t2.small",
    "db.t3.micro", "db.t3.small",
    "db.t4g.micro", "db.t4g.small",
  ]
  performance_insights = !contains(local.classes_without_insights, var.instance_class)
  major_version        = join(".", slice(split(".", var.engine_version), 0, 2))
}

module "security_group" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.3.0"

  name        = "${var.identifier}-mysql"
  description = "MySQL from the listed security groups only"
  vpc_id      = var.vpc_id

  ingress_with_source_security_group_id = [
    for sg in var.allowed_security_group_ids : {
      from_port                = 3306
      to_port                  = 3306
      protocol                 = "tcp"
      description              = "MySQL from ${sg}"
      source_security_group_id = sg
    }
  ]

  tags = var.tags
}

module "rds" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.12.0"

  identifier = var.identifier

  engine               = "mysql"
  engine_version       = var.engine_version
  family               = "mysql${local.major_version}"
  major_engine_version = local.major_version
  instance_class       = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.allocated_storage * 5
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name                     = var.db_name
  username                    = var.master_username
  port                        = 3306
  manage_master_user_password = true

  # The CA that signs the server certificate, named rather than left to the account's
  # default: the backend verifies it against the Amazon RDS bundle (`?ssl=rds`), which holds
  # this CA for every region (infra/test/rds-ca-bundle.test.ts).
  ca_cert_identifier = "rds-ca-rsa2048-g1"

  multi_az               = var.multi_az
  db_subnet_group_name   = var.db_subnet_group_name
  vpc_security_group_ids = [module.security_group.security_group_id]
  publicly_accessible    = false

  maintenance_window               = "Mon:03:00-Mon:04:00"
  backup_window                    = "01:00-02:00"
  backup_retention_period          = var.backup_retention_days
  copy_tags_to_snapshot            = true
  deletion_protection              = var.deletion_protection
  skip_final_snapshot              = !var.deletion_protection
  final_snapshot_identifier_prefix = "${var.identifier}-final"

  performance_insights_enabled          = local.performance_insights
  performance_insights_retention_period = local.performance_insights ? 7 : null

  enabled_cloudwatch_logs_exports = ["error", "slowquery"]
  create_cloudwatch_log_group     = true

  auto_minor_version_upgrade = true
  apply_immediately          = false

  parameters = [
    { name = "character_set_server", value = "utf8mb4" },
    { name = "collation_server", value = "utf8mb4_0900_ai_ci" },
    { name = "require_secure_transport", value = "1" },
  ]

  tags = var.tags
}
