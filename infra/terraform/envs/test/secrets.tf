# Secret containers for the tradepost-test namespace (same shape as production) and the role
# External Secrets assumes there. Values are put by an operator, never through Terraform.
resource "aws_secretsmanager_secret" "app" {
  for_each = toset(["backend", "frontend"])

  name                    = "tradepost/test/${each.key}"
  description             = "Tradepost ${each.key} settings for the test environment"
  recovery_window_in_days = 7
}

module "external_secrets_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "5.59.0"

  role_name = "${local.name}-external-secrets"

  attach_external_secrets_policy        = true
  external_secrets_secrets_manager_arns = [for s in aws_secretsmanager_secret.app : s.arn]
  external_secrets_ssm_parameter_arns   = []
  external_secrets_kms_key_arns         = []

  oidc_providers = {
    main = {
      provider_arn               = local.platform.oidc_provider_arn
      namespace_service_accounts = ["tradepost-test:external-secrets"]
    }
  }

  tags = local.tags
}
