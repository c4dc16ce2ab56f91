import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkTerraform, loadTerraform } from './lib/terraform-policy';

const TERRAFORM = join(__dirname, '..', 'terraform');

/** A minimal tree that passes every rule; each bad case below changes one thing. */
const GOOD: Record<string, string> = {
  'envs/prod/versions.tf': `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
  backend "s3" {
    key          = "x"
    encrypt      = true
    use_lockfile = true
  }
}`,
  'envs/prod/main.tf': `
locals { tags = { Project = "x" } }
variable "region" {
  type        = string
  description = "Region."
}
module "database" {
  source              = "../../modules/database"
  multi_az            = true
  deletion_protection = true
  extra_policies      = { read = data.aws_iam_policy_document.read.json }
  replicas            = local.replicas
}
locals { replicas = ["a", "b"] }
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.21.0"
}`,
  'modules/database/versions.tf': `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.95.0, < 6.0.0" }
  }
}`,
  'modules/database/main.tf': `
module "rds" {
  source                      = "terraform-aws-modules/rds/aws"
  version                     = "6.12.0"
  storage_encrypted           = true
  publicly_accessible         = false
  manage_master_user_password = true
}
module "lb_sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.3.0"
  ingress_with_cidr_blocks = [{ rule = "https-443-tcp", cidr_blocks = "0.0.0.0/0" }]
}
resource "aws_s3_bucket" "b" {}
resource "aws_iam_policy" "extra" {
  for_each = var.extra_policies
}
resource "aws_db_instance_automated_backups_replication" "r" {
  count = length(var.replicas)
}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = aws_s3_bucket.b.id
}`,
};

async function violationsWith(changes: Record<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-policy-'));
  try {
    for (const [rel, text] of Object.entries({ ...GOOD, ...changes })) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    return (await checkTerraform(dir)).map((v) => v.rule);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const replaceIn = (rel: string, from: string, to: string): Record<string, string> => {
  const text = GOOD[rel];
  if (!text.includes(from)) throw new Error(`fixture ${rel} lacks ${from}`);
  return { [rel]: text.replace(from, to) };
};

describe('Terraform policy', () => {
  it('when the repository Terraform is checked, then every rule holds', async () => {
    const violations = await checkTerraform(TERRAFORM);
    expect(violations).toEqual([]);
  });

  it('when the repository Terraform is parsed, then every root (bootstrap, prod, platform, test, addons) is present', async () => {
    const files = await loadTerraform(TERRAFORM);
    const roots = new Set(files.map((f) => f.rel.split('/').slice(0, -1).join('/')));
    for (const root of ['bootstrap', 'envs/prod', 'envs/platform', 'envs/test', 'envs/addons']) {
      for (const name of ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf']) {
        expect(files.map((f) => f.rel)).toContain(`${root}/${name}`);
      }
    }
    expect([...roots].filter((r) => r.startsWith('modules/')).length).toBeGreaterThanOrEqual(5);
  });

  it('when the minimal good tree is checked, then it passes (so each bad case below fails for one reason)', async () => {
    expect(await violationsWith({})).toEqual([]);
  });

  it.each<[string, Record<string, string>]>([
    [
      'not-public',
      replaceIn(
        'modules/database/main.tf',
        'publicly_accessible         = false',
        'publicly_accessible = true',
      ),
    ],
    [
      'encryption',
      replaceIn(
        'modules/database/main.tf',
        'storage_encrypted           = true',
        'storage_encrypted = false',
      ),
    ],
    [
      'encryption',
      replaceIn(
        'modules/database/main.tf',
        'resource "aws_s3_bucket_server_side',
        'resource "aws_s3_bucket_versioning',
      ),
    ],
    [
      'prod-deletion-protection',
      replaceIn('envs/prod/main.tf', 'deletion_protection = true', 'deletion_protection = false'),
    ],
    [
      'prod-multi-az',
      replaceIn('envs/prod/main.tf', 'multi_az            = true', 'multi_az = false'),
    ],
    ['no-open-ingress', replaceIn('modules/database/main.tf', 'https-443-tcp', 'mysql-tcp')],
    [
      'no-open-ingress',
      {
        'modules/database/sg.tf':
          'resource "aws_security_group_rule" "ssh" {\n type = "ingress"\n from_port = 22\n to_port = 22\n cidr_blocks = ["0.0.0.0/0"]\n}',
      },
    ],
    ['pinned-module', replaceIn('envs/prod/main.tf', 'version = "5.21.0"', 'version = "~> 5.0"')],
    [
      'pinned-module',
      { 'envs/prod/git.tf': 'module "g" {\n source = "git::https://github.com/x/y.git"\n}' },
    ],
    ['pinned-provider', replaceIn('envs/prod/versions.tf', '"5.100.0"', '">= 5.0"')],
    [
      'pinned-provider',
      replaceIn('modules/database/versions.tf', '">= 5.95.0, < 6.0.0"', '">= 5.95.0"'),
    ],
    ['variable-typed', replaceIn('envs/prod/main.tf', 'type        = string', '')],
    [
      'variable-described',
      replaceIn('envs/prod/main.tf', 'description = "Region."', 'description = " "'),
    ],
    [
      'no-plaintext-secret',
      replaceIn(
        'modules/database/main.tf',
        'manage_master_user_password = true',
        'password = "hunter2hunter2"',
      ),
    ],
    ['no-plaintext-secret', { 'envs/prod/key.tf': '# AKIAABCDEFGHIJKLMNOP\n' }],
    ['no-committed-tfvars', { 'envs/prod/terraform.tfvars': 'region = "eu-west-1"\n' }],
    [
      'state-backend',
      replaceIn('envs/prod/versions.tf', 'use_lockfile = true', 'use_lockfile = false'),
    ],
    ['one-tags-local', { 'envs/prod/more.tf': 'locals { tags = { Other = "y" } }' }],
    [
      'plan-known-keys',
      replaceIn(
        'envs/prod/main.tf',
        'extra_policies      = { read = data.aws_iam_policy_document.read.json }',
        'extra_policies = data.aws_iam_policy_document.read.json == null ? {} : { read = "x" }',
      ),
    ],
    [
      'plan-known-keys',
      replaceIn('envs/prod/main.tf', 'replicas = ["a", "b"]', 'replicas = module.vpc.azs'),
    ],
    [
      'prod-deletion-protection',
      replaceIn(
        'envs/prod/main.tf',
        'source              = "../../modules/database"',
        'source = "../../modules/cache"',
      ),
    ],
  ])('when a root breaks rule %s, then the check reports it', async (rule, change) => {
    expect(await violationsWith(change)).toContain(rule);
  });
});
