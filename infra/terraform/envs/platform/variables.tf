variable "region" {
  type        = string
  description = "AWS region; must match the production environment."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "state_bucket" {
  type        = string
  description = "S3 bucket holding the Terraform state (the production foundation's outputs are read from it)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be a valid S3 bucket name."
  }
}

variable "repository_url" {
  type        = string
  description = "Source repository, recorded in the Repository tag."
  default     = "https://github.com/example/tradepost"
}

variable "kubernetes_version" {
  type        = string
  description = "EKS Kubernetes minor version; in EKS standard support (see infra/README.md for the calendar)."
  default     = "1.35"
}

variable "cluster_public_access_cidrs" {
  type        = list(string)
  description = "Operator networks allowed to reach the EKS API endpoint; empty keeps it private (the build agent reaches it inside the VPC)."
  default     = []
}

variable "cluster_admin_role_arns" {
  type        = map(string)
  description = "IAM roles granted cluster-admin, by short key; include the role that applies envs/addons."
  default     = {}
}

variable "node_instance_types" {
  type        = list(string)
  description = "Instance types of the EKS node group; they must support security groups for pods (no t family)."
  default     = ["m5.large"]
}

variable "db_instance_class" {
  type        = string
  description = "RDS instance class of the production database."
  default     = "db.t4g.medium"
}
