#!/usr/bin/env node
// Usage: node infra/scripts/aws-settings.mjs [--out DIR]
// Writes each environment's AWS settings, filled from the Terraform outputs, to DIR/prod.yaml
// and DIR/test.yaml (default infra/aws-settings/, git-ignored): the overlay's
// k8s/overlays/<env>/aws-settings.yaml with every placeholder replaced. scripts/ci renders a
// release from them when AWS_SETTINGS_DIR names DIR (the Ansible role build_agent puts them on
// the build agent), and refuses the committed placeholders. Run after applying envs/prod,
// envs/platform and envs/test; fails, naming them, on missing outputs. Nothing in them is
// secret, but they are account-specific: never commit them.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
if (args.length > 0 && (args[0] !== '--out' || !args[1] || args.length > 2)) {
  process.stderr.write('usage: node infra/scripts/aws-settings.mjs [--out DIR]\n');
  process.exit(2);
}
const out = resolve(args[1] ?? join(repo, 'infra', 'aws-settings'));

/** Where each setting comes from, per environment: [Terraform root, output]. */
const SOURCES = {
  prod: {
    region: ['prod', 'region'],
    external_secrets_role_arn: ['platform', 'external_secrets_role_arn'],
    app_certificate_arn: ['prod', 'app_certificate_arn'],
    app_host_name: ['prod', 'app_host_name'],
    database_cidr: ['prod', 'database_cidr'],
  },
  test: {
    region: ['prod', 'region'],
    external_secrets_role_arn: ['test', 'external_secrets_role_arn'],
    app_certificate_arn: ['prod', 'test_app_certificate_arn'],
    app_host_name: ['prod', 'test_app_host_name'],
    database_cidr: ['prod', 'database_cidr'],
  },
};

const outputs = {};
function output(root, name) {
  if (!(root in outputs)) {
    try {
      outputs[root] = JSON.parse(
        execFileSync(
          'terraform',
          [`-chdir=${join(repo, 'infra', 'terraform', 'envs', root)}`, 'output', '-json'],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
        ),
      );
    } catch {
      process.stderr.write(
        `error: cannot read the outputs of envs/${root} (init and apply it first)\n`,
      );
      process.exit(1);
    }
  }
  return outputs[root][name]?.value;
}

const problems = [];
const files = {};
for (const [env, sources] of Object.entries(SOURCES)) {
  const template = join(repo, 'k8s', 'overlays', env, 'aws-settings.yaml');
  const doc = parseDocument(readFileSync(template, 'utf8'));
  doc.commentBefore =
    ` The AWS values of the ${env} environment, filled from the Terraform outputs by\n` +
    ' infra/scripts/aws-settings.mjs. Account-specific: never commit this file.';
  for (const key of Object.keys(doc.toJS().data)) {
    if (key === 'environment') continue;
    const source = sources[key];
    if (!source) {
      problems.push(`${env}: no Terraform output is known for ${key} (add it to SOURCES here)`);
      continue;
    }
    const value = output(...source);
    if (typeof value !== 'string' || value === '')
      problems.push(
        `${env}: envs/${source[0]} has no output ${source[1]} (apply envs/${source[0]} first)`,
      );
    else doc.setIn(['data', key], value);
  }
  files[env] = doc.toString();
}
if (problems.length > 0) {
  process.stderr.write(
    `error: cannot fill the AWS settings:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
  process.exit(1);
}
// Each file must pass the check a release makes before it renders (scripts/ci/lib/aws-settings.mjs).
mkdirSync(out, { recursive: true });
for (const [env, text] of Object.entries(files)) {
  const file = join(out, `${env}.yaml`);
  writeFileSync(`${file}.tmp`, text);
  try {
    execFileSync(
      'node',
      [join(repo, 'scripts', 'ci', 'lib', 'aws-settings.mjs'), 'check', `${file}.tmp`, env],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
  } catch {
    rmSync(`${file}.tmp`);
    process.exit(1);
  }
  renameSync(`${file}.tmp`, file);
  process.stdout.write(`wrote ${file}\n`);
}
