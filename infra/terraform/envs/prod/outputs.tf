output "region" {
  description = "AWS region (pipeline AWS_REGION)."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name (pipeline EKS_CLUSTER; aws eks update-kubeconfig --name)."
  value       = module.cluster.cluster_name
}

output "ecr_registry" {
  description = "Registry host the pipeline pushes to (pipeline REGISTRY)."
  value       = module.registry.registry
}

output "ecr_repository_urls" {
  description = "Repository URL per image (kustomize edit set image)."
  value       = module.registry.repository_urls
}

output "database_address" {
  description = "Production MySQL host for the ExternalSecret template of DATABASE_URL."
  value       = module.database.address
}

output "database_name" {
  description = "Production schema name."
  value       = module.database.db_name
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the production database credentials (ExternalSecret remoteRef)."
  value       = module.database.master_user_secret_arn
}

output "external_secrets_role_arn" {
  description = "IRSA role for ServiceAccount tradepost/external-secrets (overlay annotation)."
  value       = module.cluster.external_secrets_role_arn
}

output "oidc_provider_arn" {
  description = "Cluster OIDC provider (the test environment's External Secrets role trusts it)."
  value       = module.cluster.oidc_provider_arn
}

output "app_secret_names" {
  description = "Secrets Manager secrets the production ExternalSecrets read."
  value       = [for s in aws_secretsmanager_secret.app : s.name]
}

output "vpc_id" {
  description = "VPC ID (the test environment places its resources here)."
  value       = module.network.vpc_id
}

output "vpc_cidr_block" {
  description = "VPC CIDR block."
  value       = module.network.vpc_cidr_block
}

output "private_subnet_ids" {
  description = "Private subnet IDs."
  value       = module.network.private_subnet_ids
}

output "database_subnet_group_name" {
  description = "RDS subnet group name."
  value       = module.network.database_subnet_group_name
}

output "node_security_group_id" {
  description = "EKS node security group."
  value       = module.cluster.node_security_group_id
}

output "jenkins_instance_id" {
  description = "Jenkins instance ID (aws ssm start-session --target)."
  value       = module.jenkins.instance_id
}

output "jenkins_security_group_id" {
  description = "Jenkins security group (the test database admits it for integration tests)."
  value       = module.jenkins.security_group_id
}

output "jenkins_ssm_bucket" {
  description = "S3 bucket for Ansible file transfer to the Jenkins host."
  value       = module.jenkins.ssm_transfer_bucket
}

output "webhook_dns_name" {
  description = "Load balancer DNS name for the GitHub webhook host name."
  value       = module.webhook.dns_name
}
