output "database_address" {
  description = "Test MySQL host (integration tests and the tradepost-test namespace)."
  value       = module.database.address
}

output "database_name" {
  description = "Test schema name."
  value       = module.database.db_name
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the test database credentials."
  value       = module.database.master_user_secret_arn
}

output "test_runner_instance_id" {
  description = "Test-runner instance ID (aws ssm start-session --target)."
  value       = module.test_runner.instance_id
}

output "test_runner_ssm_bucket" {
  description = "S3 bucket for Ansible file transfer to the test runner."
  value       = module.test_runner.ssm_transfer_bucket
}

output "external_secrets_role_arn" {
  description = "IRSA role for ServiceAccount tradepost-test/external-secrets (overlay annotation)."
  value       = module.external_secrets_irsa.iam_role_arn
}

output "app_secret_names" {
  description = "Secrets Manager secrets the test ExternalSecrets read; tradepost/test/backend also feeds Jenkins."
  value       = [for s in aws_secretsmanager_secret.app : s.name]
}
