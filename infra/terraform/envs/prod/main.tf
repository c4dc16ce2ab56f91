# Production: the shared network and cluster (namespaces tradepost and tradepost-test),
# the production database, the image registry and the Jenkins host.
locals {
  name = "tradepost-prod"
  tags = {
    Project     = "tradepost"
    Environment = "prod"
    ManagedBy   = "terraform"
    Repository  = var.repository_url
  }
  images         = ["tradepost-backend", "tradepost-frontend", "tradepost-nginx"]
  app_namespaces = ["tradepost", "tradepost-test"]
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

module "cluster" {
  source = "../../modules/cluster"

  name                = local.name
  kubernetes_version  = var.kubernetes_version
  vpc_id              = module.network.vpc_id
  private_subnet_ids  = module.network.private_subnet_ids
  public_access_cidrs = var.cluster_public_access_cidrs

  node_instance_types = var.node_instance_types
  node_min_size       = 3
  node_max_size       = 6
  node_desired_size   = 3

  app_namespaces     = local.app_namespaces
  deployer_role_arns = { jenkins = module.jenkins.iam_role_arn }
  admin_role_arns    = var.cluster_admin_role_arns

  external_secrets_service_accounts = ["tradepost:external-secrets"]
  external_secrets_secret_arns      = [for s in aws_secretsmanager_secret.app : s.arn]
  tags                              = local.tags
}

module "database" {
  source = "../../modules/database"

  identifier           = local.name
  vpc_id               = module.network.vpc_id
  db_subnet_group_name = module.network.database_subnet_group_name

  # Only pods (EKS nodes) reach production data; Jenkins runs migrations as a Job in-cluster.
  allowed_security_group_ids = [module.cluster.node_security_group_id]

  instance_class        = var.db_instance_class
  allocated_storage     = 50
  multi_az              = true
  deletion_protection   = true
  backup_retention_days = 14
  tags                  = local.tags
}

data "aws_iam_policy_document" "jenkins" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "EcrPush"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = values(module.registry.repository_arns)
  }

  statement {
    sid       = "EksKubeconfig"
    actions   = ["eks:DescribeCluster"]
    resources = ["arn:aws:eks:${var.region}:${data.aws_caller_identity.current.account_id}:cluster/${local.name}"]
  }
}

module "jenkins" {
  source = "../../modules/ci-host"

  name              = "${local.name}-jenkins"
  role              = "jenkins"
  vpc_id            = module.network.vpc_id
  vpc_cidr_block    = module.network.vpc_cidr_block
  subnet_id         = module.network.private_subnet_ids[0]
  instance_type     = var.jenkins_instance_type
  volume_size       = 100
  extra_policy_json = data.aws_iam_policy_document.jenkins.json

  ingress_from_security_groups = [
    { port = 8080, security_group_id = module.webhook.security_group_id, description = "GitHub webhook via the ALB" },
  ]

  tags = local.tags
}

module "webhook" {
  source = "../../modules/webhook"

  name               = "${local.name}-webhook"
  vpc_id             = module.network.vpc_id
  public_subnet_ids  = module.network.public_subnet_ids
  certificate_arn    = var.webhook_certificate_arn
  source_cidrs       = var.github_hook_cidrs
  target_instance_id = module.jenkins.instance_id
  tags               = local.tags
}
