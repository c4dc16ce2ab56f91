// Usage: node infra/terraform/scripts/record-module-variables.mjs MODULES_DIR
// Records, for every registry module the Terraform under infra/terraform calls, the names
// of its input variables at the pinned version, read from a local copy of the module's
// repository at that tag (MODULES_DIR/<name>-<version>, as scripts/check.sh --modules uses).
// Writes infra/test/fixtures/module-variables.json, which infra/test/module-inputs.test.ts
// compares every module call's arguments with. Run it after changing a module version.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const modules = process.argv[2];
if (!modules) {
  console.error('usage: node record-module-variables.mjs MODULES_DIR');
  process.exit(2);
}
const terraform = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = resolve(terraform, '..', 'test', 'fixtures', 'module-variables.json');

function tfFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === '.terraform') return [];
    if (statSync(p).isDirectory()) return tfFiles(p);
    return name.endsWith('.tf') ? [p] : [];
  });
}

const calls = new Set();
for (const file of tfFiles(terraform)) {
  const text = readFileSync(file, 'utf8');
  for (const block of text.match(/^module\s+"[^"]+"\s*\{[\s\S]*?^\}/gm) ?? []) {
    const source = /^\s*source\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    const version = /^\s*version\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    if (source && version && !source.startsWith('.')) calls.add(`${source}@${version}`);
  }
}

const record = {};
for (const call of [...calls].sort()) {
  const [source, version] = call.split('@');
  const [path, sub] = source.split('//');
  const dir = join(resolve(modules), `${path.split('/')[1]}-${version}`, sub ?? '');
  if (!existsSync(dir)) {
    console.error(`no local copy of ${call} at ${dir}`);
    process.exit(1);
  }
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.tf'))
    .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/^variable\s+"([^"]+)"/gm)])
    .map((m) => m[1]);
  record[call] = [...new Set(names)].sort();
}
writeFileSync(out, JSON.stringify(record, null, 2) + '\n');
console.log(`recorded ${Object.keys(record).length} modules in ${out}`);
