output "database_address" {
  description = "Test MySQL host (integration tests and the tradepost-test namespace)."
  value       = module.database.address
}

output "database_name" {
  description = "Test schema name."
  value       = module.database.db_name
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the test database master credentials (managed by RDS)."
  value       = module.database.master_user_secret_arn
}

output "external_secrets_role_arn" {
  description = "IRSA role for ServiceAccount tradepost-test/external-secrets (overlay annotation)."
  value       = module.external_secrets_irsa.iam_role_arn
}

output "app_secret_names" {
  description = "Secrets Manager secrets the test ExternalSecrets read; tradepost/test/backend also feeds Jenkins."
  value       = [for s in aws_secretsmanager_secret.app : s.name]
}
