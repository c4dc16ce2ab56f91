output "dns_name" {
  description = "Load balancer DNS name; point the webhook host name (CNAME) at it."
  value       = aws_lb.this.dns_name
}

output "security_group_id" {
  description = "Security group of the load balancer (Jenkins admits 8080 from it)."
  value       = module.security_group.security_group_id
}
