# Plan-time tests of the production foundation with a mocked AWS provider: every count
# and for_each must be decidable before apply (no "Invalid count argument" on values such
# as ECR ARNs that exist only after apply), and the CI hosts get exactly their rights.
# Run by infra/terraform/scripts/check.sh.
mock_provider "aws" {
  # Policy documents must be JSON objects even when mocked: the provider validates them.
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
  override_data {
    target = data.aws_availability_zones.available
    values = { names = ["eu-west-1a", "eu-west-1b", "eu-west-1c"] }
  }
  override_data {
    target = data.aws_caller_identity.current
    values = { account_id = "111122223333" }
  }
}

variables {
  region             = "eu-west-1"
  app_host_name      = "shop.example.com"
  test_app_host_name = "test.shop.example.com"
  webhook_host_name  = "ci.example.com"
}

run "plan_with_values_known_only_after_apply" {
  command = plan

  assert {
    condition     = module.deployer.role_name == "tradepost-prod-deployer"
    error_message = "the deployer role must be <name>-deployer"
  }

  assert {
    condition     = local.deployer_role_arn == "arn:aws:iam::111122223333:role/${module.deployer.role_name}"
    error_message = "the controller may assume only the deployer role, and the ARN it names must be that role's"
  }

  assert {
    condition     = local.cluster_arn == "arn:aws:eks:eu-west-1:111122223333:cluster/tradepost-prod"
    error_message = "the deployer may describe only the cluster envs/platform creates"
  }

  assert {
    condition     = output.cluster_name == "tradepost-prod"
    error_message = "the cluster name is the one envs/platform and the pipeline use"
  }
}

run "controller_and_agent_rights" {
  command = plan

  assert {
    condition     = keys(module.jenkins.extra_policy_names) == ["assume-deployer", "parameters"]
    error_message = "the controller may read its parameters and assume the deployer, nothing else"
  }

  assert {
    condition     = keys(module.build_agent.extra_policy_names) == ["ecr-pull"]
    error_message = "the build agent may only pull from ECR"
  }

  assert {
    condition     = toset(data.aws_iam_policy_document.jenkins_parameters.statement[0].resources) == toset(["arn:aws:ssm:eu-west-1:111122223333:parameter/tradepost/jenkins/*"])
    error_message = "the controller reads /tradepost/jenkins/* only"
  }

  assert {
    condition     = output.jenkins_parameter_names["github-webhook-secret"] == "/tradepost/jenkins/github-webhook-secret"
    error_message = "the webhook secret parameter is where Ansible reads it"
  }

  assert {
    condition     = toset(flatten([for s in data.aws_iam_policy_document.ecr_pull.statement : tolist(s.actions)])) == toset(["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"])
    error_message = "the build agent's ECR policy must hold pull actions only"
  }
}

run "certificates_without_route53" {
  command = plan

  assert {
    condition     = length(module.certificates.validation_records) == 3
    error_message = "each host name (production, test, webhook) needs a validation record"
  }
}

run "certificates_with_route53" {
  command = plan

  variables {
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
  }

  assert {
    condition     = length(module.certificates.validation_records) == 3
    error_message = "each host name (production, test, webhook) needs a validation record"
  }
}

# What the overlays' aws-settings.yaml take from this root (infra/scripts/aws-settings.mjs).
run "outputs_for_the_overlays" {
  command = plan

  assert {
    condition     = output.database_subnet_cidrs == ["10.20.20.0/24", "10.20.21.0/24", "10.20.22.0/24"]
    error_message = "the database subnets are the VPC's /24s 20 to 22"
  }

  assert {
    condition     = output.database_cidr == "10.20.20.0/22"
    error_message = "database_cidr must be the one block holding every database subnet"
  }

  assert {
    condition     = output.test_app_host_name == "test.shop.example.com" && output.app_host_name == "shop.example.com"
    error_message = "each environment has its own host name"
  }

  assert {
    condition     = contains(keys(module.certificates.validation_records), "test_app")
    error_message = "the test environment's host name needs a certificate of its own"
  }
}

run "database_cidr_follows_the_vpc" {
  command = plan

  variables {
    vpc_cidr = "172.18.0.0/16"
  }

  assert {
    condition     = output.database_subnet_cidrs == ["172.18.20.0/24", "172.18.21.0/24", "172.18.22.0/24"] && output.database_cidr == "172.18.20.0/22"
    error_message = "database_cidr must hold the database subnets of whatever VPC block is chosen"
  }
}
