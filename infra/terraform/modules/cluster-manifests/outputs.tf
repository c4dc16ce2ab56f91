output "objects" {
  description = "Each object, keyed namespace/kind/name, as kubectl kustomize renders it."
  value       = local.objects

  precondition {
    condition     = length(local.unsupported) == 0
    error_message = "k8s/cluster uses kustomize features this module does not read: ${join(", ", local.unsupported)}. Keep to namespace folders, component folders with labels, and plain YAML files, or teach modules/cluster-manifests the feature."
  }
}

output "namespaces" {
  description = "The namespaces the objects go into."
  value       = sort(distinct([for k in values(local.namespace_folders) : k.namespace]))
}
