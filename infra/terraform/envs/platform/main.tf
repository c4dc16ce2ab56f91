# The platform on the production foundation (envs/prod): the EKS cluster both app
# namespaces run in, with its managed add-ons and the database-client security groups,
# and the production database.
locals {
  tags = {
    Project     = "tradepost"
    Environment = "prod"
    ManagedBy   = "terraform"
    Repository  = var.repository_url
  }
  app_namespaces = ["tradepost", "tradepost-test"]
}

data "terraform_remote_state" "prod" {
  backend = "s3"
  config = {
    bucket = var.state_bucket
    key    = "tradepost/prod/terraform.tfstate"
    region = var.region
  }
}

locals {
  foundation = data.terraform_remote_state.prod.outputs
}

module "cluster" {
  source = "../../modules/cluster"

  name                = local.foundation.cluster_name
  kubernetes_version  = var.kubernetes_version
  vpc_id              = local.foundation.vpc_id
  private_subnet_ids  = local.foundation.private_subnet_ids
  public_access_cidrs = var.cluster_public_access_cidrs

  node_instance_types = var.node_instance_types
  node_min_size       = 3
  node_max_size       = 6
  node_desired_size   = 3

  database_client_namespaces    = local.app_namespaces
  deployer_role_arns            = { deployer = local.foundation.deployer_role_arn }
  deployer_kubernetes_group     = local.foundation.deployer_kubernetes_group
  admin_role_arns               = var.cluster_admin_role_arns
  api_client_security_group_ids = { build_agent = local.foundation.build_agent_security_group_id }

  external_secrets_service_accounts = ["tradepost:external-secrets"]
  external_secrets_secret_arns      = local.foundation.app_secret_arns
  tags                              = local.tags
}

module "database" {
  source = "../../modules/database"

  identifier           = local.foundation.cluster_name
  vpc_id               = local.foundation.vpc_id
  db_subnet_group_name = local.foundation.database_subnet_group_name

  # Only the production namespace's database clients (backend, db-migrate) reach
  # production data; Jenkins runs migrations as a Job in that namespace.
  allowed_security_group_ids = [module.cluster.database_client_security_group_ids["tradepost"]]

  instance_class        = var.db_instance_class
  allocated_storage     = 50
  multi_az              = true
  deletion_protection   = true
  backup_retention_days = 14
  tags                  = local.tags
}
