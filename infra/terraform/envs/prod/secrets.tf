# Secret containers the overlay's ExternalSecrets read (tradepost/prod/backend: database_url,
# admin_password; tradepost/prod/frontend: cookie_secret). Values are put by an operator
# (see infra/README.md), so they never pass through Terraform or its state.
resource "aws_secretsmanager_secret" "app" {
  for_each = toset(["backend", "frontend"])

  name                    = "tradepost/prod/${each.key}"
  description             = "Tradepost ${each.key} settings for production"
  recovery_window_in_days = 30
}
