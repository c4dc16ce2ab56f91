output "namespaces" {
  description = "App namespaces created here (the pipeline never creates or changes them)."
  value       = [for ns in kubernetes_namespace_v1.app : ns.metadata[0].name]
}

output "deployer_kubernetes_group" {
  description = "Kubernetes group the RoleBindings name; the deployer role's access entry maps to it."
  value       = local.deployer.group
}

output "chart_versions" {
  description = "Helm chart versions installed."
  value       = local.charts
}
