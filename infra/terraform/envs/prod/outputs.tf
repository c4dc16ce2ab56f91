output "region" {
  description = "AWS region (pipeline AWS_REGION)."
  value       = var.region
}

output "cluster_name" {
  description = "EKS cluster name (pipeline EKS_CLUSTER; aws eks update-kubeconfig --name); envs/platform creates it."
  value       = local.cluster_name
}

output "ecr_registry" {
  description = "Registry host the pipeline pushes to (pipeline REGISTRY)."
  value       = module.registry.registry
}

output "ecr_repository_urls" {
  description = "Repository URL per image (kustomize edit set image)."
  value       = module.registry.repository_urls
}

output "app_secret_names" {
  description = "Secrets Manager secrets the production ExternalSecrets read."
  value       = [for s in aws_secretsmanager_secret.app : s.name]
}

output "app_secret_arns" {
  description = "ARNs of app_secret_names (the production External Secrets role may read these only)."
  value       = [for s in aws_secretsmanager_secret.app : s.arn]
}

output "app_host_name" {
  description = "Host name users reach Tradepost at."
  value       = var.app_host_name
}

output "app_certificate_arn" {
  description = "ACM certificate of app_host_name: the nginx Service's aws-load-balancer-ssl-cert annotation."
  value       = module.certificates.arns["app"]
}

output "test_app_host_name" {
  description = "Host name of the test environment."
  value       = var.test_app_host_name
}

output "test_app_certificate_arn" {
  description = "ACM certificate of test_app_host_name: the test overlay's load balancer TLS certificate."
  value       = module.certificates.arns["test_app"]
}

output "database_subnet_cidrs" {
  description = "CIDR blocks of the database subnets (both databases sit there)."
  value       = module.network.database_subnet_cidrs
}

output "database_cidr" {
  description = "The one CIDR block holding every database subnet: each overlay's database_cidr (database egress NetworkPolicy)."
  value       = module.network.database_cidr
}

output "certificate_validation_records" {
  description = "CNAME records proving the host names to ACM (add them by hand when route53_zone_id is null)."
  value       = module.certificates.validation_records
}

output "vpc_id" {
  description = "VPC ID (envs/platform and envs/test place their resources here)."
  value       = module.network.vpc_id
}

output "vpc_cidr_block" {
  description = "VPC CIDR block."
  value       = module.network.vpc_cidr_block
}

output "private_subnet_ids" {
  description = "Private subnet IDs."
  value       = module.network.private_subnet_ids
}

output "database_subnet_group_name" {
  description = "RDS subnet group name."
  value       = module.network.database_subnet_group_name
}

output "jenkins_instance_id" {
  description = "Jenkins controller instance ID (aws ssm start-session --target)."
  value       = module.jenkins.instance_id
}

output "jenkins_role_arn" {
  description = "Instance role of the Jenkins controller (the only principal the deployer role trusts)."
  value       = module.jenkins.iam_role_arn
}

output "jenkins_ssm_bucket" {
  description = "S3 bucket for Ansible file transfer to the Jenkins controller."
  value       = module.jenkins.ssm_transfer_bucket
}

output "jenkins_parameter_names" {
  description = "SSM Parameter Store names (SecureString, put by the operator) the controller reads, by key."
  value       = { for p in local.jenkins_parameters : p => "${local.jenkins_parameter_prefix}/${p}" }
}

output "jenkins_parameter_arns" {
  description = "ARNs of jenkins_parameter_names, by key."
  value = {
    for p in local.jenkins_parameters :
    p => "arn:aws:ssm:${var.region}:${data.aws_caller_identity.current.account_id}:parameter${local.jenkins_parameter_prefix}/${p}"
  }
}

output "build_agent_instance_id" {
  description = "Jenkins build agent instance ID (aws ssm start-session --target)."
  value       = module.build_agent.instance_id
}

output "build_agent_security_group_id" {
  description = "Build agent security group (the test database and the Kubernetes API admit it)."
  value       = module.build_agent.security_group_id
}

output "build_agent_ssm_bucket" {
  description = "S3 bucket for Ansible file transfer to the build agent."
  value       = module.build_agent.ssm_transfer_bucket
}

output "deployer_role_arn" {
  description = "Role the Jenkins credential aws-deployer assumes (ECR push, EKS group tradepost:deployer)."
  value       = module.deployer.role_arn
}

output "deployer_kubernetes_group" {
  description = "Kubernetes group of the deployer's access entry (RBAC in envs/addons binds it)."
  value       = local.deployer_kubernetes_group
}

output "webhook_dns_name" {
  description = "Load balancer DNS name; point webhook_host_name (CNAME) at it."
  value       = module.webhook.dns_name
}

output "webhook_host_name" {
  description = "Host name of the GitHub webhook (https://<it>/github-webhook/)."
  value       = var.webhook_host_name
}

output "public_subnet_ids" {
  description = "Public subnet IDs (internet-facing load balancers)."
  value       = module.network.public_subnet_ids
}
