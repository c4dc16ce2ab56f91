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
  description = "S3 bucket holding the Terraform state (the production outputs are read from it)."

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

variable "db_instance_class" {
  type        = string
  description = "RDS instance class of the test database (on db.t4g.micro and .small the module leaves Performance Insights off, as RDS requires)."
  default     = "db.t4g.micro"
}
