# What the manifests need in the cluster before the first deploy, installed from the
# pinned aws-ia/eks-blueprints-addons module: the AWS Load Balancer Controller (and its IAM
# role) for the nginx NLB, the External Secrets Operator for the ExternalSecrets, and the
# Prometheus Operator CRDs for the PodMonitors and PrometheusRule. The add-ons EKS manages
# itself (VPC CNI with network policy enforcement, metrics-server) are in modules/cluster.
# The namespaces, the deployer's RBAC and the security group policies are in kubernetes.tf.
locals {
  name = "tradepost-addons"
  tags = {
    Project     = "tradepost"
    Environment = "prod"
    ManagedBy   = "terraform"
    Repository  = var.repository_url
  }

  charts = {
    aws_load_balancer_controller = "3.5.0"
    external_secrets             = "2.0.0"
    prometheus_operator_crds     = "16.0.0"
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
  platform = data.terraform_remote_state.platform.outputs
}

module "addons" {
  source  = "aws-ia/eks-blueprints-addons/aws"
  version = "1.24.3"

  cluster_name      = local.platform.cluster_name
  cluster_endpoint  = local.platform.cluster_endpoint
  cluster_version   = local.platform.kubernetes_version
  oidc_provider_arn = local.platform.oidc_provider_arn

  enable_aws_load_balancer_controller = true
  aws_load_balancer_controller = {
    chart_version = local.charts.aws_load_balancer_controller
    # The nodes allow one IMDS hop, so pods cannot look these up themselves.
    set = [
      { name = "region", value = var.region },
      { name = "vpcId", value = local.platform.vpc_id },
    ]
  }

  # The ExternalSecrets authenticate as each namespace's own ServiceAccount (IRSA roles from
  # envs/prod and envs/test), so the operator itself gets no AWS role at all.
  enable_external_secrets = true
  external_secrets = {
    chart_version = local.charts.external_secrets
    create_role   = false
  }
  external_secrets_secrets_manager_arns = []
  external_secrets_ssm_parameter_arns   = []
  external_secrets_kms_key_arns         = []

  helm_releases = {
    prometheus-operator-crds = {
      chart            = "prometheus-operator-crds"
      chart_version    = local.charts.prometheus_operator_crds
      repository       = "https://prometheus-community.github.io/helm-charts"
      namespace        = "monitoring"
      create_namespace = true
    }
  }

  tags = local.tags
}
