output "cluster_name" {
  description = "EKS cluster name."
  value       = module.cluster.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint (envs/addons; the build agent reaches it inside the VPC)."
  value       = module.cluster.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint."
  value       = module.cluster.cluster_certificate_authority_data
}

output "kubernetes_version" {
  description = "Kubernetes minor version of the cluster."
  value       = var.kubernetes_version
}

output "oidc_provider_arn" {
  description = "Cluster OIDC provider (IRSA roles of the test environment and the add-ons trust it)."
  value       = module.cluster.oidc_provider_arn
}

output "node_security_group_id" {
  description = "EKS node security group."
  value       = module.cluster.node_security_group_id
}

output "database_client_security_group_ids" {
  description = "Security group of each app namespace's database-client pods, by namespace (SecurityGroupPolicy in envs/addons; envs/test admits tradepost-test's)."
  value       = module.cluster.database_client_security_group_ids
}

output "external_secrets_role_arn" {
  description = "IRSA role for ServiceAccount tradepost/external-secrets (prod overlay annotation)."
  value       = module.cluster.external_secrets_role_arn
}

output "vpc_id" {
  description = "VPC of the cluster (the load balancer controller's vpcId)."
  value       = local.foundation.vpc_id
}

output "database_address" {
  description = "Production MySQL host for the database_url in tradepost/prod/backend."
  value       = module.database.address
}

output "database_name" {
  description = "Production schema name."
  value       = module.database.db_name
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the production master credentials (managed by RDS)."
  value       = module.database.master_user_secret_arn
}
