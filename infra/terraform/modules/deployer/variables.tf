variable "name" {
  type        = string
  description = "Prefix of the role name; the role is <name>-deployer."
}

variable "trusted_role_arns" {
  type        = list(string)
  description = "IAM roles that may assume the deployer role (the Jenkins controller's instance role)."

  validation {
    condition     = length(var.trusted_role_arns) > 0
    error_message = "trusted_role_arns must name at least one role."
  }
}

variable "repository_arns" {
  type        = list(string)
  description = "ECR repositories the role may push to."
}

variable "cluster_arn" {
  type        = string
  description = "EKS cluster the role may describe (aws eks update-kubeconfig)."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to the role."
  default     = {}
}
