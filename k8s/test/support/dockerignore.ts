import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

interface IgnoreRule {
  negate: boolean;
  pattern: RegExp;
}

const toRegExp = (glob: string): RegExp => {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
};

/** `.dockerignore` semantics: the last matching line wins; a match on a parent excludes its content. */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const glob = (negate ? l.slice(1) : l).replace(/^\/+/, '').replace(/\/+$/, '');
      return { negate, pattern: toRegExp(glob) };
    });
}

export function isIgnored(rules: IgnoreRule[], relPath: string): boolean {
  const parts = relPath.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const rule of rules) {
    if (prefixes.some((p) => rule.pattern.test(p))) ignored = !rule.negate;
  }
  return ignored;
}

/** True when the path exists under root and at least one file of it reaches the build context. */
export function inContext(root: string, rules: IgnoreRule[], relPath: string): boolean {
  const full = path.join(root, relPath);
  if (!existsSync(full)) return false;
  if (!statSync(full).isDirectory()) return !isIgnored(rules, relPath);
  return readdirSync(full).some((entry) => inContext(root, rules, `${relPath}/${entry}`));
}

export function loadDockerignore(root: string): IgnoreRule[] {
  const file = path.join(root, '.dockerignore');
  return existsSync(file) ? parseDockerignore(readFileSync(file, 'utf8')) : [];
}
