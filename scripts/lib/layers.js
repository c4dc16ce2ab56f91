// @ts-check
/**
 * Which way imports may point, checked by ESLint (eslint.config.mjs, rule
 * `house/layers`) on every source file.
 *
 * Inside a service, `src/` is a stack of layers: a file may import from its own
 * layer's entry (the same top-level file, or anything in the same folder) or from a
 * layer below, never from one above. Features are layers of their own, so two
 * features cannot import each other. Nothing in `src/` imports from outside it (the
 * images build `src/` alone). Tests (`test/` and `*.test.ts`) may import anything.
 *
 * Between the repository's top-level folders, code that is not a test may import
 * only from the folders listed for it.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..');

/**
 * Each service's layers, lowest first. An entry names a top-level file of `src/`
 * (without its extension) or a folder.
 */
const LAYERS = {
  backend: [
    ['actor', 'clock', 'config', 'errors', 'logger'],
    ['db'],
    ['lifecycle', 'metrics'],
    ['http'],
    ['idempotency'],
    ['users'],
    ['auth'],
    ['messages'],
    ['orders'],
    ['services', 'seed'],
    ['app'],
    ['main'],
    ['server'],
  ],
  frontend: [
    ['config', 'errors', 'logger'],
    ['lifecycle', 'metrics'],
    ['backend'],
    ['views'],
    ['http'],
    ['auth'],
    ['users'],
    ['messages'],
    ['orders'],
    ['home'],
    ['app'],
    ['main'],
    ['server'],
  ],
};

/** Top-level folders whose code (tests aside) may import from other top-level folders. */
const FOLDERS = {
  bench: ['scripts'],
};

/** @param {string} file a path relative to the repository root */
const isTest = (file) => /(^|\/)test\//.test(file) || /\.test\.[cm]?[jt]sx?$/.test(file);

/**
 * Where a file sits: its service and the entry of `src/` it belongs to.
 * @param {string} file a path relative to the repository root
 */
function placeOf(file) {
  const [top, src, entry] = file.split('/');
  if (!(top in LAYERS) || src !== 'src' || entry === undefined) return null;
  const service = /** @type {keyof typeof LAYERS} */ (top);
  const name = file.split('/').length === 3 ? entry.replace(/(\.d)?\.[cm]?[jt]sx?$/, '') : entry;
  const layer = LAYERS[service].findIndex((names) => names.includes(name));
  return { service, name, layer };
}

/**
 * Why `from` may not import `to` (both relative to the repository root), or null.
 * @param {string} from
 * @param {string} to
 */
function violation(from, to) {
  // Tests, and the repository's own root files (configs), may import anything.
  if (isTest(from) || !from.includes('/')) return null;
  const [fromTop] = from.split('/');
  const [toTop] = to.split('/');
  const source = placeOf(from);
  if (source) {
    if (!to.startsWith(`${source.service}/src/`))
      return `${source.service}/src/ imports nothing from outside it`;
    const target = placeOf(to);
    if (source.layer < 0)
      return `${source.name} is in no layer of ${source.service}/src (scripts/lib/layers.js)`;
    if (!target || target.layer < 0)
      return `${to} is in no layer of ${source.service}/src (scripts/lib/layers.js)`;
    if (target.layer < source.layer || target.name === source.name) return null;
    if (target.layer === source.layer && !to.slice(`${source.service}/src/`.length).includes('/'))
      return null;
    return `${source.name} sits below ${target.name} in ${source.service}/src: the import points up`;
  }
  // The root's shared files (jest.preset.js, package.json) are for everyone.
  if (fromTop === toTop || !to.includes('/') || toTop === 'node_modules') return null;
  const allowed = FOLDERS[/** @type {keyof typeof FOLDERS} */ (fromTop)] ?? [];
  return allowed.includes(toTop) ? null : `${fromTop}/ imports nothing from ${toTop}/`;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports point down the layers (scripts/lib/layers.js)' },
    schema: [],
    messages: { up: 'Import of {{spec}}: {{why}}.' },
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    /** @param {import('estree').Node} node @param {unknown} spec */
    const check = (node, spec) => {
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path
        .relative(ROOT, path.resolve(path.dirname(context.filename), spec))
        .split(path.sep)
        .join('/');
      const why = violation(file, target);
      if (why) context.report({ node, messageId: 'up', data: { spec, why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        const [first] = node.arguments;
        const isRequire = node.callee.type === 'Identifier' && node.callee.name === 'require';
        if (isRequire && first?.type === 'Literal') check(node, first.value);
      },
    };
  },
};

const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
const SPECIFIER = /(?:\bfrom|\bimport|\brequire\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** @param {string} base a path without its extension @returns {string | null} */
function resolveFile(base) {
  for (const ext of ['', '.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs']) {
    if (fs.existsSync(base + ext) && fs.statSync(base + ext).isFile()) return base + ext;
  }
  return null;
}

/**
 * Every group of modules under `dirs` (relative to the repository root) that import
 * each other in a circle, type imports included; ESLint sees one file at a time and
 * cannot tell. Tarjan's strongly connected components over the relative imports.
 * @param {string[]} dirs
 * @returns {string[][]}
 */
function importCycles(dirs) {
  /** @type {Map<string, string[]>} */
  const graph = new Map();
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') walk(file);
      } else if (SOURCE.test(entry.name)) {
        const text = fs.readFileSync(file, 'utf8');
        const targets = [...text.matchAll(SPECIFIER)]
          .map((m) => resolveFile(path.resolve(path.dirname(file), m[1])))
          .filter((t) => t !== null);
        graph.set(file, /** @type {string[]} */ (targets));
      }
    }
  };
  for (const dir of dirs) walk(path.join(ROOT, dir));
  /** @type {Map<string, { index: number, low: number }>} */
  const seen = new Map();
  /** @type {string[]} */
  const stack = [];
  const onStack = new Set();
  /** @type {string[][]} */
  const cycles = [];
  /** @param {string} v */
  const connect = (v) => {
    const node = { index: seen.size, low: seen.size };
    seen.set(v, node);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      const other = seen.get(w);
      if (!other) {
        connect(w);
        node.low = Math.min(node.low, /** @type {{ low: number }} */ (seen.get(w)).low);
      } else if (onStack.has(w)) node.low = Math.min(node.low, other.index);
    }
    if (node.low !== node.index) return;
    /** @type {string[]} */
    const group = [];
    for (;;) {
      const w = /** @type {string} */ (stack.pop());
      onStack.delete(w);
      group.push(path.relative(ROOT, w));
      if (w === v) break;
    }
    if (group.length > 1) cycles.push(group.sort());
  };
  for (const v of graph.keys()) if (!seen.has(v)) connect(v);
  return cycles;
}

module.exports = { LAYERS, FOLDERS, violation, rule, importCycles };
