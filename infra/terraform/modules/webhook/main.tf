# The one public way into Jenkins: an HTTPS load balancer that accepts only GitHub's
# hook addresses and forwards only /github-webhook/; everything else gets a 404.
module "security_group" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.3.0"

  name        = var.name
  description = "HTTPS from GitHub hook addresses only"
  vpc_id      = var.vpc_id

  ingress_with_cidr_blocks = [
    for cidr in var.source_cidrs : {
      rule        = "https-443-tcp"
      cidr_blocks = cidr
      description = "GitHub hooks"
    }
  ]

  egress_with_cidr_blocks = [
    { from_port = 8080, to_port = 8080, protocol = "tcp", cidr_blocks = data.aws_vpc.this.cidr_block, description = "Jenkins" },
  ]

  tags = var.tags
}

data "aws_vpc" "this" {
  id = var.vpc_id
}

resource "aws_lb" "this" {
  name                       = var.name
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [module.security_group.security_group_id]
  drop_invalid_header_fields = true
  tags                       = var.tags
}

resource "aws_lb_target_group" "jenkins" {
  name        = var.name
  port        = 8080
  protocol    = "HTTP"
  target_type = "instance"
  vpc_id      = var.vpc_id

  health_check {
    path    = "/login"
    matcher = "200"
  }

  tags = var.tags
}

resource "aws_lb_target_group_attachment" "jenkins" {
  target_group_arn = aws_lb_target_group.jenkins.arn
  target_id        = var.target_instance_id
  port             = 8080
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "fixed-response"
    fixed_response {
      content_type = "text/plain"
      message_body = "not found"
      status_code  = "404"
    }
  }
}

resource "aws_lb_listener_rule" "github_webhook" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  condition {
    path_pattern {
      values = ["/github-webhook/"]
    }
  }

  condition {
    http_request_method {
      values = ["POST"]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.jenkins.arn
  }
}
