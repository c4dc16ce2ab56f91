output "namespaces" {
  description = "App namespaces created here (the pipeline never creates or changes them)."
  value       = [for ns in kubernetes_namespace_v1.app : ns.metadata[0].name]
}

output "deployer_kubernetes_groups" {
  description = "Kubernetes groups the RoleBindings of k8s/cluster name; the deployer role's access entry maps to tradepost:deployer."
  value = distinct(flatten([
    for o in values(module.cluster_manifests.objects) :
    [for s in o.subjects : s.name if s.kind == "Group"] if o.kind == "RoleBinding"
  ]))
}

output "chart_versions" {
  description = "Helm chart versions installed."
  value       = local.charts
}
