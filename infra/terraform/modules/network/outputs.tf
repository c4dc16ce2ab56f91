output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "vpc_cidr_block" {
  description = "IPv4 CIDR block of the VPC."
  value       = module.vpc.vpc_cidr_block
}

output "public_subnet_ids" {
  description = "Public subnet IDs (load balancers, NAT gateways)."
  value       = module.vpc.public_subnets
}

output "private_subnet_ids" {
  description = "Private subnet IDs (EKS nodes, CI hosts)."
  value       = module.vpc.private_subnets
}

output "database_subnet_group_name" {
  description = "Name of the RDS subnet group spanning the database subnets."
  value       = module.vpc.database_subnet_group_name
}

output "database_subnet_cidrs" {
  description = "CIDR blocks of the database subnets, one per zone."
  value       = local.database_subnets
}

output "database_cidr" {
  description = "The smallest CIDR block holding every database subnet (the overlays' database_cidr)."
  value       = local.database_cidr
}
