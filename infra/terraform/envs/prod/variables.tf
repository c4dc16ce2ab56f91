variable "region" {
  type        = string
  description = "AWS region of the environment."
  default     = "eu-west-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "repository_url" {
  type        = string
  description = "Source repository, recorded in the Repository tag."
  default     = "https://github.com/example/tradepost"
}

variable "vpc_cidr" {
  type        = string
  description = "CIDR block of the VPC."
  default     = "10.20.0.0/16"
}

variable "jenkins_instance_type" {
  type        = string
  description = "EC2 instance type of the Jenkins controller (runs no builds)."
  default     = "t3.medium"
}

variable "build_agent_instance_type" {
  type        = string
  description = "EC2 instance type of the Jenkins build agent (the whole test suite, image builds: at least 4 vCPU / 16 GiB)."
  default     = "t3.xlarge"
}

variable "app_host_name" {
  type        = string
  description = "Host name users reach Tradepost at (the ACM certificate of the nginx load balancer), such as shop.example.com."
}

variable "test_app_host_name" {
  type        = string
  description = "Host name of the test environment (namespace tradepost-test, its own load balancer and ACM certificate), such as test.shop.example.com."
}

variable "webhook_host_name" {
  type        = string
  description = "Host name GitHub posts webhooks to (the ACM certificate of the webhook load balancer), such as ci.example.com."
}

variable "route53_zone_id" {
  type        = string
  description = "Route 53 hosted zone of both host names, to validate the certificates automatically; null when DNS is elsewhere."
  default     = null
}

variable "github_hook_cidrs" {
  type        = list(string)
  description = "GitHub hook source ranges (the hooks field of https://api.github.com/meta)."
  default     = ["192.30.252.0/22", "185.199.108.0/22", "140.82.112.0/20", "143.55.64.0/20"]
}
