// Pin the tradepost images of a kustomization file to REGISTRY/NAME:SHA, as
// `kustomize edit set image NAME=REGISTRY/NAME:SHA` does, keeping every other field.
// Usage: node set-images.mjs KUSTOMIZATION_FILE REGISTRY SHA IMAGE...
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';

const [file, registry, sha, ...names] = process.argv.slice(2);
if (!file || !registry || !sha || names.length === 0) {
  process.stderr.write('usage: node set-images.mjs KUSTOMIZATION_FILE REGISTRY SHA IMAGE...\n');
  process.exit(2);
}
const doc = parseDocument(readFileSync(file, 'utf8'));
const images = (doc.toJS()?.images ?? []).filter((i) => !names.includes(i.name));
for (const name of names) images.push({ name, newName: `${registry}/${name}`, newTag: sha });
doc.set('images', images);
writeFileSync(file, doc.toString());
