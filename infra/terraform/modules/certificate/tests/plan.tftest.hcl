# The certificate module with a mocked AWS provider: validation records are keyed by the
# caller's names, and apply waits for issuance only where Terraform can write the records.
mock_provider "aws" {}

run "without_a_zone_no_records_are_written" {
  command = plan

  variables {
    host_names = { app = "shop.example.com" }
  }

  assert {
    condition     = length(aws_route53_record.validation) == 0 && length(aws_acm_certificate_validation.this) == 0
    error_message = "without a Route 53 zone the operator writes the records; nothing may wait for them"
  }

  assert {
    condition     = aws_acm_certificate.this["app"].validation_method == "DNS"
    error_message = "certificates are validated through DNS"
  }
}

run "with_a_zone_records_and_validation_per_name" {
  command = plan

  variables {
    host_names      = { app = "shop.example.com", webhook = "ci.example.com" }
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition     = toset(keys(aws_route53_record.validation)) == toset(["app", "webhook"]) && toset(keys(aws_acm_certificate_validation.this)) == toset(["app", "webhook"])
    error_message = "each host name gets its validation record and waits for issuance"
  }
}

run "a_bare_name_is_refused" {
  command = plan

  variables {
    host_names = { app = "localhost" }
  }

  expect_failures = [var.host_names]
}
