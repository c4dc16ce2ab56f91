# A CI machine in a private subnet: no public IP, no SSH; operators and Ansible reach it
# through SSM Session Manager, whose file transfers go through a private S3 bucket.
# Debian 13, whose OpenJDK 21 the Jenkins LTS line needs (Debian 12 has Java 17 only); the
# Ansible roles and the test list work on it and on Debian 12 (.ci/run). Debian's cloud team
# publishes its newest image ID under this public parameter.
data "aws_ssm_parameter" "debian" {
  name = "/aws/service/debian/release/13/latest/amd64"
}

data "aws_region" "current" {}

module "security_group" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.3.0"

  name        = var.name
  description = "${var.name}: no inbound except the listed security groups"
  vpc_id      = var.vpc_id

  ingress_with_source_security_group_id = [
    for rule in var.ingress_from_security_groups : {
      from_port                = rule.port
      to_port                  = rule.port
      protocol                 = "tcp"
      description              = rule.description
      source_security_group_id = rule.security_group_id
    }
  ]

  # Outbound HTTPS (packages, GitHub, AWS APIs, the EKS API) and MySQL inside the VPC only,
  # plus any port the host must reach on another security group (the agent → the controller).
  egress_with_cidr_blocks = [
    { rule = "https-443-tcp", cidr_blocks = "0.0.0.0/0" },
    { rule = "http-80-tcp", cidr_blocks = "0.0.0.0/0", description = "Debian/Ubuntu mirrors" },
    { rule = "mysql-tcp", cidr_blocks = var.vpc_cidr_block },
  ]

  egress_with_source_security_group_id = [
    for rule in var.egress_to_security_groups : {
      from_port                = rule.port
      to_port                  = rule.port
      protocol                 = "tcp"
      description              = rule.description
      source_security_group_id = rule.security_group_id
    }
  ]

  tags = var.tags
}

resource "aws_s3_bucket" "ssm_transfer" {
  bucket_prefix = "${var.name}-ssm-"
  force_destroy = true
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "ssm_transfer" {
  bucket                  = aws_s3_bucket.ssm_transfer.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "ssm_transfer" {
  bucket = aws_s3_bucket.ssm_transfer.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "ssm_transfer" {
  bucket = aws_s3_bucket.ssm_transfer.id
  rule {
    id     = "expire-transfers"
    status = "Enabled"
    filter {}
    expiration {
      days = 1
    }
  }
}

data "aws_iam_policy_document" "ssm_transfer" {
  statement {
    sid       = "AnsibleFileTransfer"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.ssm_transfer.arn}/*"]
  }
}

resource "aws_iam_policy" "ssm_transfer" {
  name_prefix = "${var.name}-ssm-transfer-"
  description = "Ansible over SSM: read and write the transfer bucket"
  policy      = data.aws_iam_policy_document.ssm_transfer.json
  tags        = var.tags
}

# Keyed by the caller's names, which are known at plan time even when the documents are not
# (they are built from ARNs that exist only after apply).
resource "aws_iam_policy" "extra" {
  for_each = var.extra_policies

  name_prefix = "${var.name}-${each.key}-"
  description = "${var.name}: ${each.key}"
  policy      = each.value
  tags        = var.tags
}

module "instance" {
  source  = "terraform-aws-modules/ec2-instance/aws"
  version = "5.8.0"

  name          = var.name
  ami           = data.aws_ssm_parameter.debian.insecure_value
  instance_type = var.instance_type
  # A newer Debian image must not replace the controller (and its JENKINS_HOME) on the next
  # apply; to move a host to a new image, replace it on purpose (terraform apply -replace).
  ignore_ami_changes = true

  # Debian images ship without the SSM agent; install it so the host is reachable at all.
  user_data = <<-EOT
    #!/bin/bash
    set -euo pipefail
    region="${data.aws_region.current.name}"
    curl -fsSLo /tmp/amazon-ssm-agent.deb "https://s3.$region.amazonaws.com/amazon-ssm-$region/latest/debian_amd64/amazon-ssm-agent.deb"
    dpkg -i /tmp/amazon-ssm-agent.deb
    systemctl enable --now amazon-ssm-agent
  EOT

  subnet_id                   = var.subnet_id
  vpc_security_group_ids      = [module.security_group.security_group_id]
  associate_public_ip_address = false

  create_iam_instance_profile = true
  iam_role_description        = "${var.name} instance role"
  iam_role_policies = merge(
    {
      ssm          = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"
      ssm_transfer = aws_iam_policy.ssm_transfer.arn
    },
    { for key, policy in aws_iam_policy.extra : "extra_${key}" => policy.arn },
  )

  metadata_options = {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 2
  }

  root_block_device = [
    {
      encrypted   = true
      volume_type = "gp3"
      volume_size = var.volume_size
    }
  ]

  monitoring = true

  # Ansible finds hosts by these tags (inventory/aws_ec2.yml).
  tags = merge(var.tags, { Role = var.role })
}
