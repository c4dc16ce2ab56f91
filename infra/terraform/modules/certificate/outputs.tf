output "arns" {
  description = "Certificate ARN by key. With a Route 53 zone, only once ACM has issued the certificate."
  value = {
    for key, cert in aws_acm_certificate.this : key =>
    var.route53_zone_id == null ? cert.arn : aws_acm_certificate_validation.this[key].certificate_arn
  }
}

output "validation_records" {
  description = "DNS records (CNAME) that prove control of each host name to ACM, by key."
  value = {
    for key, option in local.validation : key => {
      name  = option.resource_record_name
      type  = option.resource_record_type
      value = option.resource_record_value
    }
  }
}
