output "cluster_name" {
  description = "EKS cluster name (for aws eks update-kubeconfig)."
  value       = module.eks.cluster_name
}

output "cluster_endpoint" {
  description = "Kubernetes API endpoint."
  value       = module.eks.cluster_endpoint
}

output "cluster_certificate_authority_data" {
  description = "Base64 CA bundle of the API endpoint."
  value       = module.eks.cluster_certificate_authority_data
}

output "node_security_group_id" {
  description = "Security group attached to every node (and so every pod on the VPC CNI)."
  value       = module.eks.node_security_group_id
}

output "external_secrets_role_arn" {
  description = "Role to annotate on ServiceAccount external-secrets/external-secrets (eks.amazonaws.com/role-arn)."
  value       = module.external_secrets_irsa.iam_role_arn
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, for further IRSA roles."
  value       = module.eks.oidc_provider_arn
}

output "cluster_arn" {
  description = "ARN of the cluster (eks:DescribeCluster grants)."
  value       = module.eks.cluster_arn
}

output "cluster_security_group_id" {
  description = "Security group of the control plane's private endpoint."
  value       = module.eks.cluster_security_group_id
}

output "database_client_security_group_ids" {
  description = "Security group of each namespace's database-client pods, by namespace (SecurityGroupPolicy and database ingress)."
  value       = { for ns, sg in aws_security_group.database_clients : ns => sg.id }
}
