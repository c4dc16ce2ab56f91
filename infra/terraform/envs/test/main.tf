# Test: a small database of its own, placed in the production network beside the cluster
# whose tradepost-test namespace uses it. The Jenkins build agent (envs/prod) runs the
# integration suite against it.
locals {
  name = "tradepost-test"
  tags = {
    Project     = "tradepost"
    Environment = "test"
    ManagedBy   = "terraform"
    Repository  = var.repository_url
  }
}

data "terraform_remote_state" "prod" {
  backend = "s3"
  config = {
    bucket = var.state_bucket
    key    = "tradepost/prod/terraform.tfstate"
    region = var.region
  }
}

data "terraform_remote_state" "platform" {
  backend = "s3"
  config = {
    bucket = var.state_bucket
    key    = "tradepost/platform/terraform.tfstate"
    region = var.region
  }
}

locals {
  foundation = data.terraform_remote_state.prod.outputs
  platform   = data.terraform_remote_state.platform.outputs
}

module "database" {
  source = "../../modules/database"

  identifier           = local.name
  vpc_id               = local.foundation.vpc_id
  db_subnet_group_name = local.foundation.database_subnet_group_name

  # The test namespace's database clients and the build agent, nothing else: no production
  # pod and no other test pod reaches it, and the test pods reach no other database.
  allowed_security_group_ids = [
    local.platform.database_client_security_group_ids["tradepost-test"],
    local.foundation.build_agent_security_group_id,
  ]

  instance_class        = var.db_instance_class
  allocated_storage     = 20
  multi_az              = false
  deletion_protection   = false
  backup_retention_days = 1
  tags                  = local.tags
}
