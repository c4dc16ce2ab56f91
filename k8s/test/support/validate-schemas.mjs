// Validates Kubernetes objects (JSON array on stdin) against the OpenAPI schemas that
// kubernetes-models, @kubernetes-models/external-secrets and
// @kubernetes-models/prometheus-operator ship; no network.
// Prints a JSON array of problems ("Kind/name: message"); an unknown kind is a problem.
// A separate process because these packages are ES modules only.
import { readFileSync } from 'node:fs';

const packages = {
  'external-secrets.io': '@kubernetes-models/external-secrets',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};

async function modelFor(apiVersion, kind) {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const pkg = packages[group] ?? 'kubernetes-models';
  try {
    const mod = await import(`${pkg}/${apiVersion}/${kind}`);
    return mod[kind];
  } catch {
    return undefined;
  }
}

const objects = JSON.parse(readFileSync(0, 'utf8'));
const problems = [];
for (const object of objects) {
  const where = `${object.kind}/${object.metadata?.name}`;
  const Model = await modelFor(String(object.apiVersion), String(object.kind));
  if (!Model) {
    problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
    continue;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    const details = (error.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('; ');
    problems.push(`${where}: ${details || error.message}`);
  }
}
process.stdout.write(JSON.stringify(problems));
