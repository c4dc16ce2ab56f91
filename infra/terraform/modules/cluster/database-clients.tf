# One security group per app namespace for the pods that talk to a database (label
# tradepost.io/database-client=true). A SecurityGroupPolicy in that namespace (envs/addons)
# gives those pods a branch network interface carrying only this group, and each database
# admits only its own namespace's group: the test namespace cannot reach production data
# even where its pods share nodes with production, and no other pod reaches either database.
resource "aws_security_group" "database_clients" {
  for_each = toset(var.database_client_namespaces)

  name_prefix = "${var.name}-${each.key}-db-clients-"
  description = "Database clients of namespace ${each.key} (security groups for pods)"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-${each.key}-db-clients" })

  lifecycle {
    create_before_destroy = true
  }
}

# Kubelet probes, the frontends calling the backend and Prometheus scrapes come from pods
# and hosts on the node security group.
resource "aws_vpc_security_group_ingress_rule" "database_clients_from_nodes" {
  for_each = aws_security_group.database_clients

  security_group_id            = each.value.id
  referenced_security_group_id = module.eks.node_security_group_id
  ip_protocol                  = "-1"
  description                  = "From the nodes and pods on them"
}

resource "aws_vpc_security_group_egress_rule" "database_clients_all" {
  for_each = aws_security_group.database_clients

  security_group_id = each.value.id
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
  description       = "Out: the database, DNS, AWS APIs; NetworkPolicies narrow it further"
}

# CoreDNS runs on the nodes: let the selected pods resolve names.
resource "aws_vpc_security_group_ingress_rule" "nodes_dns_from_database_clients" {
  for_each = {
    for pair in setproduct(var.database_client_namespaces, ["tcp", "udp"]) :
    "${pair[0]}-${pair[1]}" => { namespace = pair[0], protocol = pair[1] }
  }

  security_group_id            = module.eks.node_security_group_id
  referenced_security_group_id = aws_security_group.database_clients[each.value.namespace].id
  ip_protocol                  = each.value.protocol
  from_port                    = 53
  to_port                      = 53
  description                  = "DNS from ${each.value.namespace} database clients"
}
