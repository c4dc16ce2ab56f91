#!/usr/bin/env bash
# Usage: infra/scripts/terraform-vars.sh
# Writes the test and prod Terraform outputs to the Ansible inventory
# (infra/ansible/inventory/group_vars/all/terraform.yml, git-ignored). Run after apply.
set -euo pipefail
infra="$(cd "$(dirname "$0")/.." && pwd)"
out="$infra/ansible/inventory/group_vars/all/terraform.yml"

prod="$(terraform -chdir="$infra/terraform/envs/prod" output -json)"
test="$(terraform -chdir="$infra/terraform/envs/test" output -json)"
umask 077
# JSON is YAML: one document with both environments' outputs.
printf '{"tradepost_tf_prod": %s, "tradepost_tf_test": %s}\n' "$prod" "$test" >"$out"
echo "wrote $out"
