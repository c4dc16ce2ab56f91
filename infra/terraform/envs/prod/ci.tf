# Jenkins: a controller that runs no builds, one build agent that runs them, and a deployer
# role that only the controller may assume (for builds of main). Both hosts sit in private
# subnets with no public address and no SSH; people and Ansible reach them through SSM.
locals {
  # Parameters the operator puts (SecureString); Terraform never holds their values.
  jenkins_parameter_prefix = "/tradepost/jenkins"
  jenkins_parameters       = ["admin-password", "github-token", "github-webhook-secret"]
  # Built from names, not from module outputs: the controller's policy and the deployer's
  # trust refer to each other.
  deployer_role_arn = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${local.name}-deployer"
}

data "aws_iam_policy_document" "jenkins_parameters" {
  statement {
    sid       = "ReadJenkinsParameters"
    actions   = ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]
    resources = ["arn:aws:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter${local.jenkins_parameter_prefix}/*"]
  }
}

data "aws_iam_policy_document" "assume_deployer" {
  statement {
    sid       = "HandDeployCredentialsToMainBuilds"
    actions   = ["sts:AssumeRole"]
    resources = [local.deployer_role_arn]
  }
}

data "aws_iam_policy_document" "ecr_pull" {
  statement {
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "EcrPull"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = values(module.registry.repository_arns)
  }
}

module "jenkins" {
  source = "../../modules/ci-host"

  name           = "${local.name}-jenkins"
  role           = "jenkins"
  vpc_id         = module.network.vpc_id
  vpc_cidr_block = module.network.vpc_cidr_block
  subnet_id      = module.network.private_subnet_ids[0]
  instance_type  = var.jenkins_instance_type
  volume_size    = 50

  extra_policies = {
    parameters      = data.aws_iam_policy_document.jenkins_parameters.json
    assume-deployer = data.aws_iam_policy_document.assume_deployer.json
  }

  ingress_from_security_groups = [
    { port = 8080, security_group_id = module.webhook.security_group_id, description = "GitHub webhook via the ALB" },
    { port = 8080, security_group_id = module.build_agent.security_group_id, description = "Inbound agent (WebSocket)" },
  ]

  tags = local.tags
}

module "build_agent" {
  source = "../../modules/ci-host"

  name           = "${local.name}-build-agent"
  role           = "build_agent"
  vpc_id         = module.network.vpc_id
  vpc_cidr_block = module.network.vpc_cidr_block
  subnet_id      = module.network.private_subnet_ids[1]
  instance_type  = var.build_agent_instance_type
  volume_size    = 100

  extra_policies = {
    ecr-pull = data.aws_iam_policy_document.ecr_pull.json
  }

  egress_to_security_groups = [
    { port = 8080, security_group_id = module.jenkins.security_group_id, description = "Jenkins controller (WebSocket)" },
  ]

  tags = local.tags
}

module "deployer" {
  source = "../../modules/deployer"

  name              = local.name
  trusted_role_arns = [module.jenkins.iam_role_arn]
  repository_arns   = values(module.registry.repository_arns)
  cluster_arn       = local.cluster_arn
  tags              = local.tags
}

module "webhook" {
  source = "../../modules/webhook"

  name               = "${local.name}-webhook"
  vpc_id             = module.network.vpc_id
  public_subnet_ids  = module.network.public_subnet_ids
  certificate_arn    = module.certificates.arns["webhook"]
  source_cidrs       = var.github_hook_cidrs
  target_instance_id = module.jenkins.instance_id
  tags               = local.tags
}
