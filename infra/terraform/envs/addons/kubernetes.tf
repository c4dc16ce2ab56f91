# What must exist before the first deploy and the pipeline must not be able to change: the
# app namespaces themselves (labels read from the overlays' namespace.yaml, the one place they
# are written), the deployer's RBAC (k8s/cluster, the one place it is written: Terraform
# applies exactly what kubectl kustomize renders there), and the security group policies that
# keep each namespace's database clients on their own security group.
locals {
  k8s = "${path.module}/../../../../k8s"
  namespaces = {
    for env in ["prod", "test"] : env => yamldecode(file("${local.k8s}/overlays/${env}/namespace.yaml")).metadata
  }
  namespace_names = [for ns in values(local.namespaces) : ns.name]
}

resource "kubernetes_namespace_v1" "app" {
  for_each = local.namespaces

  metadata {
    name   = each.value.name
    labels = each.value.labels
  }
}

# The Role tradepost-deployer and its RoleBinding to group tradepost:deployer in each app
# namespace: get/create/patch on the kinds the overlays apply and exactly the reads, the
# rollback and the delete scripts/ci makes (infra/test/deployer-rbac.test.ts).
module "cluster_manifests" {
  source = "../../modules/cluster-manifests"
  dir    = "${local.k8s}/cluster"
}

resource "kubernetes_manifest" "cluster" {
  for_each = module.cluster_manifests.objects

  manifest = each.value

  lifecycle {
    precondition {
      condition     = contains(local.namespace_names, each.value.metadata.namespace)
      error_message = "${each.key}: k8s/cluster names a namespace that is not one of the overlays' (${join(", ", local.namespace_names)})."
    }
  }

  depends_on = [kubernetes_namespace_v1.app]
}

# Pods labelled tradepost.io/database-client=true (backend, db-migrate) get a branch network
# interface with their namespace's security group only; the databases admit nothing else.
resource "kubernetes_manifest" "database_clients" {
  for_each = kubernetes_namespace_v1.app

  manifest = {
    apiVersion = "vpcresources.k8s.aws/v1beta1"
    kind       = "SecurityGroupPolicy"
    metadata = {
      name      = "database-clients"
      namespace = each.value.metadata[0].name
    }
    spec = {
      podSelector = {
        matchLabels = { "tradepost.io/database-client" = "true" }
      }
      securityGroups = {
        groupIds = [local.platform.database_client_security_group_ids[each.value.metadata[0].name]]
      }
    }
  }
}
