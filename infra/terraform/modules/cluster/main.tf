# EKS with one managed node group in private subnets, access entries instead of the
# aws-auth ConfigMap, the add-ons EKS manages itself (VPC CNI with network policy and
# security groups for pods, CoreDNS, kube-proxy, metrics-server), and an IRSA role for
# External Secrets Operator. Helm-installed add-ons live in envs/addons.
locals {
  # Deployers get no access policy at all: their only rights are the RBAC Role bound to
  # this Kubernetes group in each app namespace (envs/addons), which grants exactly what
  # the overlays apply.
  deployer_entries = {
    for key, arn in var.deployer_role_arns : key => {
      principal_arn     = arn
      kubernetes_groups = [var.deployer_kubernetes_group]
    }
  }
  admin_entries = {
    for key, arn in var.admin_role_arns : "admin-${key}" => {
      principal_arn = arn
      policy_associations = {
        admin = {
          policy_arn   = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
          access_scope = { type = "cluster" }
        }
      }
    }
  }

  # Kubelet probes reach pods on branch network interfaces only with TCP early demux off;
  # strict mode keeps a selected pod's traffic under its own security groups alone.
  vpc_cni_configuration = {
    enableNetworkPolicy = "true"
    env = {
      ENABLE_POD_ENI                    = "true"
      POD_SECURITY_GROUP_ENFORCING_MODE = "strict"
    }
    init = {
      env = {
        DISABLE_TCP_EARLY_DEMUX = "true"
      }
    }
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.37.2"

  cluster_name    = var.name
  cluster_version = var.kubernetes_version

  vpc_id     = var.vpc_id
  subnet_ids = var.private_subnet_ids

  cluster_endpoint_private_access      = true
  cluster_endpoint_public_access       = length(var.public_access_cidrs) > 0
  cluster_endpoint_public_access_cidrs = var.public_access_cidrs

  # The private endpoint answers only sources its security group admits (the nodes by
  # default); hosts such as the Jenkins agent are added here by name.
  cluster_security_group_additional_rules = {
    for key, sg in var.api_client_security_group_ids : "api_from_${key}" => {
      description              = "Kubernetes API from ${key}"
      type                     = "ingress"
      protocol                 = "tcp"
      from_port                = 443
      to_port                  = 443
      source_security_group_id = sg
    }
  }

  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = false
  access_entries                           = merge(local.deployer_entries, local.admin_entries)

  enable_irsa = true

  # Adds AmazonEKSVPCResourceController to the cluster role: branch interfaces for pods.
  enable_security_groups_for_pods = true

  cluster_enabled_log_types = ["api", "audit", "authenticator"]

  cluster_addons = {
    coredns    = {}
    kube-proxy = {}
    vpc-cni = {
      before_compute       = true
      configuration_values = jsonencode(local.vpc_cni_configuration)
    }
    # HorizontalPodAutoscalers read CPU from the metrics API.
    metrics-server = {}
  }

  eks_managed_node_groups = {
    default = {
      ami_type       = "AL2023_x86_64_STANDARD"
      instance_types = var.node_instance_types
      min_size       = var.node_min_size
      max_size       = var.node_max_size
      desired_size   = var.node_desired_size

      metadata_options = {
        http_endpoint               = "enabled"
        http_tokens                 = "required"
        http_put_response_hop_limit = 1
      }
    }
  }

  tags = var.tags
}

# External Secrets reads only the secrets it is given, from the listed ServiceAccounts.
module "external_secrets_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.59.0"

  role_name = "${var.name}-external-secrets"

  attach_external_secrets_policy        = true
  external_secrets_secrets_manager_arns = var.external_secrets_secret_arns
  external_secrets_ssm_parameter_arns   = []
  external_secrets_kms_key_arns         = []

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = var.external_secrets_service_accounts
    }
  }

  tags = var.tags
}
