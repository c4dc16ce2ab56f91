# Namespaced objects that must exist before the first deploy and that the pipeline must not
# be able to change: the app namespaces themselves (labels read from the overlays'
# namespace.yaml, the one place they are written), the deployer's RBAC, and the security
# group policies that keep each namespace's database clients on their own security group.
locals {
  k8s = "${path.module}/../../../../k8s"
  namespaces = {
    for env in ["prod", "test"] : env => yamldecode(file("${local.k8s}/overlays/${env}/namespace.yaml")).metadata
  }

  # Exactly what deploy.sh, migrate.sh and the rollout scripts apply and read (checked against
  # the rendered overlays by infra/test/deployer-rbac.test.ts).
  deployer = jsondecode(file("${path.module}/deployer-rules.json"))
}

resource "kubernetes_namespace_v1" "app" {
  for_each = local.namespaces

  metadata {
    name   = each.value.name
    labels = each.value.labels
  }
}

resource "kubernetes_role_v1" "deployer" {
  for_each = kubernetes_namespace_v1.app

  metadata {
    name      = "tradepost-deployer"
    namespace = each.value.metadata[0].name
  }

  dynamic "rule" {
    for_each = local.deployer.rules
    content {
      api_groups = rule.value.apiGroups
      resources  = rule.value.resources
      verbs      = rule.value.verbs
    }
  }
}

resource "kubernetes_role_binding_v1" "deployer" {
  for_each = kubernetes_role_v1.deployer

  metadata {
    name      = "tradepost-deployer"
    namespace = each.value.metadata[0].namespace
  }

  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "Role"
    name      = each.value.metadata[0].name
  }

  subject {
    kind      = "Group"
    name      = local.deployer.group
    api_group = "rbac.authorization.k8s.io"
  }
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
