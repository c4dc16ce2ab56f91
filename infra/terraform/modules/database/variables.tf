variable "identifier" {
  type        = string
  description = "RDS instance identifier; also the prefix of its security group and snapshots."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.identifier))
    error_message = "identifier must start with a letter and hold only lowercase letters, digits and hyphens."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the database security group."
}

variable "db_subnet_group_name" {
  type        = string
  description = "Subnet group over the isolated database subnets."
}

variable "allowed_security_group_ids" {
  type        = list(string)
  description = "Security groups that may connect on 3306 (database-client pods, the build agent). No CIDR access exists."

  validation {
    condition     = length(var.allowed_security_group_ids) > 0 && alltrue([for id in var.allowed_security_group_ids : startswith(id, "sg-")])
    error_message = "allowed_security_group_ids must list at least one security group ID (sg-…)."
  }
}

variable "engine_version" {
  type        = string
  description = "MySQL engine version: the major version 8.4 (RDS picks the current minor and auto_minor_version_upgrade keeps it current), or a full 8.4.x."
  default     = "8.4"

  validation {
    condition     = can(regex("^8\\.4(\\.[0-9]+)?$", var.engine_version))
    error_message = "engine_version must be MySQL 8.4 LTS (8.4 or 8.4.x), the release in RDS standard support."
  }
}

variable "instance_class" {
  type        = string
  description = "RDS instance class, for example db.t4g.medium."

  validation {
    condition     = startswith(var.instance_class, "db.")
    error_message = "instance_class must be an RDS class such as db.t4g.medium."
  }
}

variable "allocated_storage" {
  type        = number
  description = "Initial storage in GiB; autoscaling may grow it to five times this."

  validation {
    condition     = var.allocated_storage >= 20
    error_message = "allocated_storage must be at least 20 GiB."
  }
}

variable "db_name" {
  type        = string
  description = "Name of the application schema created with the instance."
  default     = "tradepost"
}

variable "master_username" {
  type        = string
  description = "Master user name; its password is managed by RDS in Secrets Manager."
  default     = "tradepost_admin"
}

variable "multi_az" {
  type        = bool
  description = "Keep a synchronous standby in a second zone."
}

variable "deletion_protection" {
  type        = bool
  description = "Refuse deletion; also decides whether a final snapshot is taken."
}

variable "backup_retention_days" {
  type        = number
  description = "Days of automated backups (point-in-time recovery window)."

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every resource the module creates."
  default     = {}
}
