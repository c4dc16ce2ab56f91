# The deployer role with a mocked AWS provider: only the listed roles may assume it, and it
# may push to the listed repositories and describe the one cluster, nothing else.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  name              = "tradepost-prod"
  trusted_role_arns = ["arn:aws:iam::111122223333:role/tradepost-prod-jenkins"]
  repository_arns   = ["arn:aws:ecr:eu-west-1:111122223333:repository/tradepost-backend"]
  cluster_arn       = "arn:aws:eks:eu-west-1:111122223333:cluster/tradepost-prod"
}

run "trust_and_grants" {
  command = plan

  assert {
    condition     = aws_iam_role.this.name == "tradepost-prod-deployer"
    error_message = "the role is <name>-deployer"
  }

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.trust.statement : [for p in s.principals : tolist(p.identifiers)]])) == toset(var.trusted_role_arns)
    error_message = "only the trusted roles may assume the deployer"
  }

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.deploy.statement : tolist(s.resources)])) == toset(concat(["*"], var.repository_arns, [var.cluster_arn]))
    error_message = "the deployer's grants reach the repositories, the cluster and the ECR login only"
  }

  assert {
    condition     = one([for s in data.aws_iam_policy_document.deploy.statement : s if s.sid == "EcrLogin"]).actions == toset(["ecr:GetAuthorizationToken"])
    error_message = "the only action on * is the ECR login"
  }
}

run "no_trusted_role_is_refused" {
  command = plan

  variables {
    trusted_role_arns = []
  }

  expect_failures = [var.trusted_role_arns]
}
