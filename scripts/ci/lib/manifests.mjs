// Split a rendered multi-document manifest: `pick` keeps, `omit` drops the objects of one
// kind and name. Usage: node manifests.mjs pick|omit KIND NAME < rendered.yaml
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';

const [mode, kind, name] = process.argv.slice(2);
if (!['pick', 'omit'].includes(mode) || !kind || !name) {
  process.stderr.write('usage: node manifests.mjs pick|omit KIND NAME < manifests.yaml\n');
  process.exit(2);
}
const docs = parseAllDocuments(readFileSync(0, 'utf8'))
  .map((d) => d.toJS())
  .filter((o) => o && typeof o === 'object');
const matches = (o) => o.kind === kind && o.metadata?.name === name;
const kept = docs.filter((o) => (mode === 'pick' ? matches(o) : !matches(o)));
if (mode === 'pick' && kept.length === 0) {
  process.stderr.write(`no ${kind} named ${name} in the input\n`);
  process.exit(1);
}
process.stdout.write(kept.map((o) => stringify(o)).join('---\n'));
