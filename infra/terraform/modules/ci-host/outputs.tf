output "instance_id" {
  description = "EC2 instance ID (target of aws ssm start-session)."
  value       = module.instance.id
}

output "private_ip" {
  description = "Private IP address."
  value       = module.instance.private_ip
}

output "security_group_id" {
  description = "Security group of the instance."
  value       = module.security_group.security_group_id
}

output "iam_role_arn" {
  description = "Instance role ARN."
  value       = module.instance.iam_role_arn
}

output "iam_role_name" {
  description = "Instance role name."
  value       = module.instance.iam_role_name
}

output "ssm_transfer_bucket" {
  description = "S3 bucket Ansible's SSM connection uses for file transfer."
  value       = aws_s3_bucket.ssm_transfer.id
}

output "region" {
  description = "Region of the instance."
  value       = data.aws_region.current.name
}

output "extra_policy_names" {
  description = "Names of the extra policies attached to the instance role, by key."
  value       = { for key, policy in aws_iam_policy.extra : key => policy.name_prefix }
}
