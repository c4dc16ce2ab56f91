variable "dir" {
  type        = string
  description = "The kustomization to read: k8s/cluster (one folder per namespace, each naming its namespace and the component folders it holds)."
}
