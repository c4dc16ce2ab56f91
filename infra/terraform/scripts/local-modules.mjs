// Usage: node local-modules.mjs TERRAFORM_DIR MODULES_DIR
// Rewrites, in place, every registry module call under TERRAFORM_DIR (a scratch copy, never
// the repository) to a local copy of the same module at the same version:
//   source = "terraform-aws-modules/eks/aws", version = "20.37.2"  →  MODULES_DIR/eks-20.37.2
//   source = "terraform-aws-modules/iam/aws//modules/x"            →  MODULES_DIR/iam-5.59.0/modules/x
// Each local copy is the module's repository at that tag (git archive). Fails, naming the
// directory, when a pinned module has no local copy.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const [dir, modules] = process.argv.slice(2);
if (!dir || !modules) {
  console.error('usage: node local-modules.mjs TERRAFORM_DIR MODULES_DIR');
  process.exit(2);
}

const REGISTRY = /^([\w-]+)\/([\w-]+)\/([\w-]+)(\/\/.+)?$/;
const missing = new Set();

function rewrite(text) {
  // Top-level module blocks end with a closing brace in column 0.
  return text.replace(/^module\s+"[^"]+"\s*\{[\s\S]*?^\}/gm, (block) => {
    const source = /^\s*source\s*=\s*"([^"]+)"/m.exec(block);
    const version = /^\s*version\s*=\s*"([^"]+)"\s*$/m.exec(block);
    const match = source && REGISTRY.exec(source[1]);
    if (!match || !version) return block;
    const local = join(resolve(modules), `${match[2]}-${version[1]}`);
    if (!existsSync(local)) missing.add(local);
    return block
      .replace(
        source[0],
        source[0].replace(source[1], `${local}${match[4] ? match[4].slice(1) : ''}`),
      )
      .replace(version[0], '');
  });
}

function walk(path) {
  for (const name of readdirSync(path)) {
    const p = join(path, name);
    if (name === '.terraform') continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.tf')) writeFileSync(p, rewrite(readFileSync(p, 'utf8')));
  }
}

walk(dir);
if (missing.size > 0) {
  console.error(`no local copy of: ${[...missing].join(', ')}`);
  process.exit(1);
}
