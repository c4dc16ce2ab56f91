variable "region" {
  type        = string
  description = "AWS region of the state bucket (use the same region as the environments)."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "noncurrent_version_days" {
  type        = number
  description = "Days old state versions are kept for recovery."
  default     = 90

  validation {
    condition     = var.noncurrent_version_days >= 7
    error_message = "noncurrent_version_days must be at least 7."
  }
}
