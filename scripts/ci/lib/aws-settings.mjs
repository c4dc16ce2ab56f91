// An environment's AWS settings: the ConfigMap aws-settings of k8s/overlays/<env>/aws-settings.yaml
// (committed with placeholders) or the filled copy infra/scripts/aws-settings.mjs writes from
// the Terraform outputs. A release is never rendered from placeholders.
//   node aws-settings.mjs check FILE ENV   exit 1, naming each problem, unless every value is real
//   node aws-settings.mjs get FILE ENV KEY print one value of a file that passes the check
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** What the committed files hold until Terraform's values replace them. */
const PLACEHOLDERS = [
  [/(^|\D)0{12}(\D|$)/, 'the placeholder account 000000000000'],
  [/0{8}-0{4}-0{4}-0{4}-0{12}/, 'the placeholder certificate 00000000-0000-…'],
  [/(^|\.)example\.(com|net|org)$/, 'a placeholder example.com host name'],
];

/** Every setting and the shape AWS gives it. */
export const SHAPES = {
  environment: /^(prod|test)$/,
  region: /^[a-z]{2}(-[a-z]+)+-\d$/,
  external_secrets_role_arn: /^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/,
  app_certificate_arn: /^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/,
  app_host_name: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
  database_cidr: /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/,
};

/** The settings of a parsed file, or the problems that keep it from being used for `env`. */
export function settingsProblems(doc, env) {
  const data = doc?.kind === 'ConfigMap' ? doc.data : undefined;
  if (!data || typeof data !== 'object') return ['not a ConfigMap with data'];
  const problems = [];
  for (const key of Object.keys(SHAPES))
    if (typeof data[key] !== 'string' || data[key] === '') problems.push(`${key} is missing`);
  for (const [key, value] of Object.entries(data)) {
    const shape = SHAPES[key];
    if (!shape) {
      problems.push(`${key} is not a setting scripts/ci/lib/aws-settings.mjs knows`);
      continue;
    }
    if (typeof value !== 'string' || value === '') continue;
    const placeholder = PLACEHOLDERS.find(([re]) => re.test(value));
    if (placeholder) problems.push(`${key} is ${placeholder[1]} (${value})`);
    else if (!shape.test(value)) problems.push(`${key} is not a valid value: ${value}`);
  }
  if (data.environment !== undefined && data.environment !== env)
    problems.push(`environment is ${data.environment}, not ${env}`);
  const certRegion = /^arn:aws:acm:([a-z0-9-]+):/.exec(data.app_certificate_arn ?? '')?.[1];
  if (certRegion && data.region && certRegion !== data.region)
    problems.push(`app_certificate_arn is in ${certRegion}, not in region ${data.region}`);
  return problems;
}

function main(argv) {
  const [mode, file, env, key] = argv;
  if (!['check', 'get'].includes(mode) || !file || !env || (mode === 'get' && !key)) {
    process.stderr.write('usage: node aws-settings.mjs check FILE ENV | get FILE ENV KEY\n');
    return 2;
  }
  let doc;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    process.stderr.write(`${file}: ${e.message}\n`);
    return 1;
  }
  const problems = settingsProblems(doc, env);
  if (problems.length > 0) {
    process.stderr.write(
      `${file} cannot be used for ${env}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
        'Fill the settings from the Terraform outputs (infra/scripts/terraform-vars.sh writes\n' +
        'infra/aws-settings/<env>.yaml) and point AWS_SETTINGS_DIR at them (infra/README.md).\n',
    );
    return 1;
  }
  if (mode === 'get') {
    if (!(key in doc.data)) {
      process.stderr.write(`${file} has no setting ${key}\n`);
      return 1;
    }
    process.stdout.write(`${doc.data[key]}\n`);
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exit(main(process.argv.slice(2)));
