# Three-tier VPC: public subnets for the load balancer and NAT, private subnets for
# EKS nodes and CI hosts, isolated database subnets for RDS (no route to the internet).
locals {
  newbits = 8
  # Database subnets are the /24s number 20, 21, 22 of the VPC; the /22 number 5 (/24s 20 to
  # 23) is the one block that holds them all, for address-based rules such as the overlays'
  # database egress NetworkPolicy.
  database_subnets = [for i, _ in var.azs : cidrsubnet(var.cidr, local.newbits, i + 20)]
  database_cidr    = cidrsubnet(var.cidr, local.newbits - 2, 20 / 4)
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.21.0"

  name = var.name
  cidr = var.cidr
  azs  = var.azs

  public_subnets   = [for i, _ in var.azs : cidrsubnet(var.cidr, local.newbits, i)]
  private_subnets  = [for i, _ in var.azs : cidrsubnet(var.cidr, local.newbits, i + 10)]
  database_subnets = local.database_subnets

  create_database_subnet_group       = true
  create_database_subnet_route_table = true

  enable_nat_gateway     = true
  single_nat_gateway     = var.single_nat_gateway
  one_nat_gateway_per_az = !var.single_nat_gateway

  enable_dns_hostnames = true
  enable_dns_support   = true

  # Subnet roles the AWS load balancer integration looks up.
  public_subnet_tags = {
    "kubernetes.io/role/elb" = 1
  }
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
  }

  enable_flow_log                      = true
  create_flow_log_cloudwatch_log_group = true
  create_flow_log_cloudwatch_iam_role  = true
  flow_log_max_aggregation_interval    = 60

  tags = var.tags
}
