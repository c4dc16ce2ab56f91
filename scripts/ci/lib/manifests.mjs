// Filter a rendered multi-document manifest read from stdin.
//   pick KIND NAME   keep only that object (fails if absent)
//   omit KIND NAME   drop that object
//   omit-kind KIND   drop every object of that kind
import { readFileSync } from 'node:fs';
import { parseAllDocuments, stringify } from 'yaml';

const [mode, kind, name] = process.argv.slice(2);
const valid = mode === 'pick' || mode === 'omit' ? kind && name : mode === 'omit-kind' && kind;
if (!valid) {
  process.stderr.write(
    'usage: node manifests.mjs pick|omit KIND NAME | omit-kind KIND < manifests.yaml\n',
  );
  process.exit(2);
}
const docs = parseAllDocuments(readFileSync(0, 'utf8'))
  .map((d) => d.toJS())
  .filter((o) => o && typeof o === 'object');
const matches = (o) => o.kind === kind && (mode === 'omit-kind' || o.metadata?.name === name);
const kept = docs.filter((o) => (mode === 'pick' ? matches(o) : !matches(o)));
if (mode === 'pick' && kept.length === 0) {
  process.stderr.write(`no ${kind} named ${name} in the input\n`);
  process.exit(1);
}
process.stdout.write(kept.map((o) => stringify(o)).join('---\n'));
