# RDS MySQL 8 reachable on 3306 only from the security groups it is given. The master
# password is generated and kept in Secrets Manager by RDS; it never enters Terraform.
module "security_group" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.3.0"

  name        = "${var.identifier}-mysql"
  description = "MySQL from the EKS nodes and CI hosts only"
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
  family               = "mysql8.0"
  major_engine_version = "8.0"
  instance_class       = var.instance_class

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.allocated_storage * 5
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name                     = var.db_name
  username                    = var.master_username
  port                        = 3306
  manage_master_user_password = true

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

  performance_insights_enabled          = true
  performance_insights_retention_period = 7

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
