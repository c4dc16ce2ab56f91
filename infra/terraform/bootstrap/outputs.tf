output "state_bucket" {
  description = "Bucket name for terraform init -backend-config=bucket=…"
  value       = aws_s3_bucket.state.id
}
