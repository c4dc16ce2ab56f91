output "role_arn" {
  description = "ARN of the deployer role (Jenkins credential aws-deployer assumes it)."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the deployer role."
  value       = aws_iam_role.this.name
}
