# Production foundation: the shared network, the image registry, the certificates, the
# application's secret containers and (ci.tf) Jenkins, its build agent, the deployer role
# and the webhook load balancer. The EKS cluster (namespaces tradepost and tradepost-test)
# and the production database are built on it by envs/platform.
locals {
  name = "tradepost-prod"
  tags = {
    Project     = "tradepost"
    Environment = "prod"
    ManagedBy   = "terraform"
    Repository  = var.repository_url
  }
  images = ["tradepost-backend", "tradepost-frontend", "tradepost-nginx"]
  # envs/platform names the cluster after this output, so the deployer's grants can be
  # written before the cluster exists.
  cluster_name = local.name
  cluster_arn  = "arn:aws:eks:${var.region}:${data.aws_caller_identity.current.account_id}:cluster/${local.cluster_name}"
  # The Kubernetes group the deployer role maps to; envs/addons binds RBAC to it.
  deployer_kubernetes_group = "tradepost:deployer"
}

data "aws_availability_zones" "available" {
  state = "available"
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_caller_identity" "current" {}

module "network" {
  source = "../../modules/network"

  name               = local.name
  cidr               = var.vpc_cidr
  azs                = slice(data.aws_availability_zones.available.names, 0, 3)
  single_nat_gateway = false
  tags               = local.tags
}

module "registry" {
  source = "../../modules/registry"

  repositories = local.images
  keep_images  = 100
  tags         = local.tags
}

# HTTPS for users (the nginx load balancer of each environment) and for GitHub's webhook calls.
module "certificates" {
  source = "../../modules/certificate"

  host_names = {
    app      = var.app_host_name
    test_app = var.test_app_host_name
    webhook  = var.webhook_host_name
  }
  route53_zone_id = var.route53_zone_id
  tags            = local.tags
}
