terraform {
  required_version = ">= 1.10.0, < 2.0.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "5.100.0"
    }
  }
  # Local state on purpose: this root creates the bucket every other root stores its state in.
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}
