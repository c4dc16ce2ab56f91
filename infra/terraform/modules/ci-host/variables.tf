variable "name" {
  type        = string
  description = "Name of the instance; prefix of its security group, role and bucket."
}

variable "role" {
  type        = string
  description = "Ansible group of the host (tag Role), for example jenkins or build_agent."

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

variable "egress_to_security_groups" {
  type = list(object({
    port              = number
    security_group_id = string
    description       = string
  }))
  description = "Outbound TCP ports the host may open to other security groups, such as the Jenkins agent to its controller."
  default     = []
}

variable "extra_policies" {
  type        = map(string)
  description = "IAM policy documents (JSON) attached to the instance role, by a short name known at plan time."
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.extra_policies) : can(regex("^[a-z][a-z0-9-]{0,30}$", k))])
    error_message = "extra_policies keys must be short lowercase names (letters, digits, hyphens)."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource the module creates."
  default     = {}
}
