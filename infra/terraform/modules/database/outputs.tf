output "address" {
  description = "DNS name of the instance."
  value       = module.rds.db_instance_address
}

output "port" {
  description = "MySQL port."
  value       = module.rds.db_instance_port
}

output "db_name" {
  description = "Application schema name."
  value       = var.db_name
}

output "master_user_secret_arn" {
  description = "Secrets Manager secret (username, password) that RDS manages and rotates."
  value       = module.rds.db_instance_master_user_secret_arn
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = module.security_group.security_group_id
}
