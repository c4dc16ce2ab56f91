# Test: a small database of its own and a test-runner host, placed in the production
# network beside the cluster whose tradepost-test namespace uses them.
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

locals {
  platform = data.terraform_remote_state.prod.outputs
}

module "test_runner" {
  source = "../../modules/ci-host"

  name           = "${local.name}-runner"
  role           = "test_runner"
  vpc_id         = local.platform.vpc_id
  vpc_cidr_block = local.platform.vpc_cidr_block
  subnet_id      = local.platform.private_subnet_ids[1]
  instance_type  = var.runner_instance_type
  volume_size    = 50
  tags           = local.tags
}

module "database" {
  source = "../../modules/database"

  identifier           = local.name
  vpc_id               = local.platform.vpc_id
  db_subnet_group_name = local.platform.database_subnet_group_name

  # Same rule as production (pods only), plus the machines that run the integration suite.
  allowed_security_group_ids = [
    local.platform.node_security_group_id,
    local.platform.jenkins_security_group_id,
    module.test_runner.security_group_id,
  ]

  instance_class        = var.db_instance_class
  allocated_storage     = 20
  multi_az              = false
  deletion_protection   = false
  backup_retention_days = 1
  tags                  = local.tags
}
