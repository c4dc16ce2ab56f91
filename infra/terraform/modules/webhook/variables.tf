variable "name" {
  type        = string
  description = "Name of the load balancer, its target group and security group (max 32 characters)."

  validation {
    condition     = length(var.name) <= 32
    error_message = "name must be at most 32 characters (load balancer limit)."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the load balancer and Jenkins."
}

variable "public_subnet_ids" {
  type        = list(string)
  description = "Public subnets of the load balancer."
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate for the webhook host name."

  validation {
    condition     = can(regex("^arn:aws:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "source_cidrs" {
  type        = list(string)
  description = "CIDR blocks allowed to call the webhook: the hooks list of https://api.github.com/meta."

  validation {
    condition     = length(var.source_cidrs) > 0 && alltrue([for c in var.source_cidrs : can(cidrhost(c, 0)) && c != "0.0.0.0/0"])
    error_message = "source_cidrs must be GitHub's hook ranges, never 0.0.0.0/0."
  }
}

variable "target_instance_id" {
  type        = string
  description = "Jenkins instance that receives the webhook on port 8080."
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource the module creates."
  default     = {}
}
