# A public ACM certificate per host name, validated through DNS. With a Route 53 zone the
# validation records are created here and apply waits until ACM has issued; without one
# the operator adds the CNAMEs from the validation_records output at their DNS provider and
# ACM issues on its own (a load balancer listener can use the certificate only then).
resource "aws_acm_certificate" "this" {
  for_each = var.host_names

  domain_name       = each.value
  validation_method = "DNS"
  key_algorithm     = "EC_prime256v1"

  tags = merge(var.tags, { Name = each.value })

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  # Keys are the caller's names (known at plan time), never values ACM computes.
  validation = {
    for key, cert in aws_acm_certificate.this : key => one([
      for option in cert.domain_validation_options : option if option.domain_name == var.host_names[key]
    ])
  }
}

resource "aws_route53_record" "validation" {
  for_each = var.route53_zone_id == null ? {} : var.host_names

  zone_id         = var.route53_zone_id
  name            = local.validation[each.key].resource_record_name
  type            = local.validation[each.key].resource_record_type
  records         = [local.validation[each.key].resource_record_value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  for_each = var.route53_zone_id == null ? {} : var.host_names

  certificate_arn         = aws_acm_certificate.this[each.key].arn
  validation_record_fqdns = [aws_route53_record.validation[each.key].fqdn]
}
