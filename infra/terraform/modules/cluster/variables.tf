variable "name" {
  type        = string
  description = "Cluster name; also the prefix of its IAM roles."
}

variable "kubernetes_version" {
  type        = string
  description = "EKS Kubernetes minor version, for example 1.35 (keep it in EKS standard support)."

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.35."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC the cluster runs in."
}

variable "private_subnet_ids" {
  type        = list(string)
  description = "Private subnets for the control plane interfaces and the nodes."

  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "EKS needs private subnets in at least two availability zones."
  }
}

variable "public_access_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to reach the public API endpoint; empty keeps the endpoint private."
  default     = []

  validation {
    condition     = alltrue([for c in var.public_access_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be valid CIDR blocks and must not include 0.0.0.0/0."
  }
}

variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the managed node group, in order of preference; they must support security groups for pods (trunk interfaces)."

  validation {
    condition     = length(var.node_instance_types) > 0 && alltrue([for t in var.node_instance_types : !can(regex("^t[0-9]", t))])
    error_message = "node_instance_types must not use the t family: EKS security groups for pods support no t instance type."
  }
}

variable "node_min_size" {
  type        = number
  description = "Minimum number of nodes."
}

variable "node_max_size" {
  type        = number
  description = "Maximum number of nodes."
}

variable "node_desired_size" {
  type        = number
  description = "Desired number of nodes at creation (later changes come from the autoscaler)."

  validation {
    condition     = var.node_desired_size >= 1
    error_message = "node_desired_size must be at least 1."
  }
}

variable "deployer_role_arns" {
  type        = map(string)
  description = "IAM roles (by short key) mapped to deployer_kubernetes_group; their rights come only from RBAC bound to that group."
  default     = {}
}

variable "deployer_kubernetes_group" {
  type        = string
  description = "Kubernetes group of the deployer roles' access entries (RoleBindings in envs/addons name it)."
  default     = "tradepost:deployer"
}

variable "api_client_security_group_ids" {
  type        = map(string)
  description = "Security groups (by short key, known at plan time) whose hosts may reach the private Kubernetes API on 443, such as the Jenkins agent."
  default     = {}
}

variable "admin_role_arns" {
  type        = map(string)
  description = "IAM roles (by short key) granted cluster-admin, such as the platform team's SSO role."
  default     = {}
}

variable "database_client_namespaces" {
  type        = list(string)
  description = "App namespaces that get their own security group for database-client pods (security groups for pods)."

  validation {
    condition     = alltrue([for ns in var.database_client_namespaces : can(regex("^[a-z0-9-]{1,40}$", ns))])
    error_message = "database_client_namespaces must be Kubernetes namespace names."
  }
}

variable "external_secrets_service_accounts" {
  type        = list(string)
  description = "namespace:serviceaccount pairs that may assume the External Secrets role."

  validation {
    condition     = alltrue([for sa in var.external_secrets_service_accounts : can(regex("^[a-z0-9-]+:[a-z0-9-]+$", sa))])
    error_message = "external_secrets_service_accounts entries must look like namespace:serviceaccount."
  }
}

variable "external_secrets_secret_arns" {
  type        = list(string)
  description = "Secrets Manager ARNs External Secrets Operator may read."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource the module creates."
  default     = {}
}
