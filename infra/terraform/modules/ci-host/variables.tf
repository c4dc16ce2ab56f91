variable "name" {
  type        = string
  description = "Name of the instance; prefix of its security group, role and bucket."
}

variable "role" {
  type        = string
  description = "Ansible group of the host (tag Role), for example jenkins or test_runner."

  validation {
    condition     = can(regex("^[a-z_]+$", var.role))
    error_message = "role must be a valid Ansible group name (lowercase letters and underscores)."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the instance."
}

variable "vpc_cidr_block" {
  type        = string
  description = "VPC CIDR; outbound MySQL is limited to it."
}

variable "subnet_id" {
  type        = string
  description = "Private subnet of the instance."
}

variable "instance_type" {
  type        = string
  description = "EC2 instance type."
}

variable "volume_size" {
  type        = number
  description = "Root volume size in GiB (Docker layers and workspaces live here)."

  validation {
    condition     = var.volume_size >= 30
    error_message = "volume_size must be at least 30 GiB."
  }
}

variable "ingress_from_security_groups" {
  type = list(object({
    port              = number
    security_group_id = string
    description       = string
  }))
  description = "Inbound TCP ports opened to other security groups (never to CIDR blocks)."
  default     = []
}

variable "extra_policy_json" {
  type        = string
  description = "IAM policy document granting what the host's jobs need; null for none."
  default     = null
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource the module creates."
  default     = {}
}
