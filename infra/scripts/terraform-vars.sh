#!/usr/bin/env bash
# Usage: infra/scripts/terraform-vars.sh
# Hands the Terraform outputs to what runs after Terraform:
#  - the dynamic inventory, infra/ansible/inventory/aws_ec2.yml (git-ignored; TF_INVENTORY_FILE
#    writes elsewhere), from aws_ec2.template.yml with envs/prod's region;
#  - the prod outputs the Ansible inventory needs, to
#    infra/ansible/inventory/group_vars/all/terraform.yml (git-ignored), as tradepost_tf_prod:
#    the JSON of `terraform output -json` (TF_VARS_FILE writes elsewhere);
#  - each environment's AWS settings, to infra/aws-settings/{prod,test}.yaml (git-ignored;
#    AWS_SETTINGS_OUT writes elsewhere), through infra/scripts/aws-settings.mjs; the role
#    build_agent puts them on the agent, where scripts/ci renders releases from them.
# Run after applying envs/prod, envs/platform and envs/test; fails, naming them, if outputs
# the playbooks or the settings use are missing.
set -euo pipefail
infra="$(cd "$(dirname "$0")/.." && pwd)"
out="${TF_VARS_FILE:-$infra/ansible/inventory/group_vars/all/terraform.yml}"
required=(region cluster_name ecr_registry deployer_role_arn jenkins_instance_id jenkins_ssm_bucket
  build_agent_instance_id build_agent_ssm_bucket)

prod="$(terraform -chdir="$infra/terraform/envs/prod" output -json)"
missing="$(printf '%s' "$prod" | node -e '
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => {
    const outputs = JSON.parse(s);
    console.log(process.argv.slice(1).filter((name) => !(name in outputs)).join(" "));
  });' "${required[@]}")"
if [[ -n "$missing" ]]; then
  echo "error: envs/prod has no output(s): $missing (apply envs/prod first)" >&2
  exit 1
fi
region="$(printf '%s' "$prod" | node -e '
  let s = "";
  process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).region.value));')"
if [[ ! "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]]; then
  echo "error: envs/prod output region is not an AWS region: $region" >&2
  exit 1
fi
node "$infra/scripts/aws-settings.mjs" --out "${AWS_SETTINGS_OUT:-$infra/aws-settings}"
umask 077
# JSON is YAML: one document with the outputs. Nothing secret is in them.
printf '{"tradepost_tf_prod": %s}\n' "$prod" >"$out"
echo "wrote $out"
inventory="${TF_INVENTORY_FILE:-$infra/ansible/inventory/aws_ec2.yml}"
sed "s/^  - REGION\$/  - $region/" "$infra/ansible/inventory/aws_ec2.template.yml" >"$inventory"
echo "wrote $inventory (region $region)"
