/**
 * Static policy for the Terraform under infra/terraform: every .tf file is parsed to
 * JSON (HCL → JSON, no providers or network needed) and checked against the rules the
 * environments promise. `checkTerraform(dir)` returns violations; an empty list passes.
 */
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// Loaded through createRequire because the package's typings pull the DOM lib into the
// whole test program; the one function used is typed here instead.
const hcl2json = createRequire(__filename)('@cdktf/hcl2json') as {
  parse(filename: string, contents: string): Promise<Record<string, unknown>>;
};

export interface Violation {
  rule: string;
  file: string;
  message: string;
}

export interface TfFile {
  path: string;
  rel: string;
  json: Record<string, unknown>;
  text: string;
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** hcl2json wraps every block body in an array; this yields the bodies. */
function bodies(v: unknown): Obj[] {
  if (Array.isArray(v)) return v.filter(isObj);
  return isObj(v) ? [v] : [];
}

/** Labelled blocks (`module "x" {}`, `variable "y" {}`) as [label, body] pairs. */
function labelled(json: Obj, kind: string): [string, Obj][] {
  const group = json[kind];
  if (!isObj(group)) return [];
  return Object.entries(group).flatMap(([label, v]) =>
    bodies(v).map((b): [string, Obj] => [label, b]),
  );
}

/** Resources as [type, name, body]. */
function resources(json: Obj): [string, string, Obj][] {
  const group = json.resource;
  if (!isObj(group)) return [];
  return Object.entries(group).flatMap(([type, byName]) =>
    labelled({ r: byName }, 'r').map(([name, body]): [string, string, Obj] => [type, name, body]),
  );
}

/** Every (key, value, parent) pair anywhere in the tree. */
function* walk(v: unknown): Generator<[string, unknown, Obj]> {
  if (Array.isArray(v)) {
    for (const item of v) yield* walk(item);
  } else if (isObj(v)) {
    for (const [k, child] of Object.entries(v)) {
      yield [k, child, v];
      yield* walk(child);
    }
  }
}

function tfFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === '.terraform') return [];
    if (statSync(p).isDirectory()) return tfFiles(p);
    return name.endsWith('.tf') || name.endsWith('.tfvars') ? [p] : [];
  });
}

export async function loadTerraform(dir: string): Promise<TfFile[]> {
  const files = tfFiles(dir);
  return Promise.all(
    files.map(async (path) => {
      const text = readFileSync(path, 'utf8');
      return { path, rel: relative(dir, path), text, json: await hcl2json.parse(path, text) };
    }),
  );
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const OPEN = ['0.0.0.0/0', '::/0'];
const isOpen = (v: unknown): boolean =>
  asList(v).some((c) => typeof c === 'string' && OPEN.some((o) => c.includes(o)));
const WEB_PORTS = new Set([80, 443]);
const WEB_RULES = new Set(['http-80-tcp', 'https-443-tcp']);

/** True when an ingress rule body only opens 80/443. */
function webOnly(rule: Obj): boolean {
  if (typeof rule.rule === 'string') return WEB_RULES.has(rule.rule);
  const from = Number(rule.from_port);
  const to = Number(rule.to_port ?? rule.from_port);
  return from === to && WEB_PORTS.has(from);
}

function ingressRules(json: Obj): Obj[] {
  const found: Obj[] = [];
  for (const [key, value] of walk(json)) {
    if (key !== 'ingress_with_cidr_blocks' && key !== 'ingress') continue;
    // A for-expression stays a string; treat it as one rule so an open CIDR in it still counts.
    found.push(...(typeof value === 'string' ? [{ cidr_blocks: value }] : bodies(value)));
  }
  for (const [type, , body] of resources(json)) {
    if (type === 'aws_security_group_rule' && body.type === 'ingress') found.push(body);
    if (type === 'aws_vpc_security_group_ingress_rule') found.push(body);
  }
  return found;
}

const EXACT_VERSION = /^=?\s*\d+\.\d+\.\d+$/;
const PASSWORD_OK = new Set([
  'manage_master_user_password',
  'manage_master_user_password_rotation',
]);
const SECRET_PATTERNS = [
  /AKIA[0-9A-Z]{16}/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /ghp_[A-Za-z0-9]{36}/,
];

function checkFile(f: TfFile, isRoot: boolean): Violation[] {
  const out: Violation[] = [];
  const add = (rule: string, message: string) => out.push({ rule, file: f.rel, message });

  if (f.rel.endsWith('.tfvars'))
    add('no-committed-tfvars', 'tfvars files hold real values; commit only *.tfvars.example');
  for (const re of SECRET_PATTERNS)
    if (re.test(f.text)) add('no-plaintext-secret', `matches ${re.source}`);

  for (const [key, value] of walk(f.json)) {
    if (key === 'publicly_accessible' && value !== false)
      add('not-public', 'publicly_accessible must be false');
    if ((key === 'storage_encrypted' || key === 'encrypted') && value !== true)
      add('encryption', `${key} must be true`);
    if (/password/i.test(key) && !PASSWORD_OK.has(key))
      add('no-plaintext-secret', `attribute ${key} sets a password`);
    if (key === 'manage_master_user_password' && value !== true)
      add('no-plaintext-secret', 'manage_master_user_password must be true');
  }

  for (const rule of ingressRules(f.json)) {
    const cidrs = [rule.cidr_blocks, rule.cidr_ipv4, rule.ipv6_cidr_blocks, rule.cidr_ipv6];
    if (cidrs.some(isOpen) && !webOnly(rule))
      add(
        'no-open-ingress',
        `ingress from the internet on ${JSON.stringify(rule.rule ?? rule.from_port)}`,
      );
  }

  for (const [name, body] of labelled(f.json, 'module')) {
    const source = str(body.source);
    if (source.startsWith('./') || source.startsWith('../')) continue;
    if (source.includes('git::') || source.startsWith('github.com')) {
      if (!/\?ref=(v?\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(source))
        add('pinned-module', `module ${name}: git source needs ?ref=<tag|sha>`);
    } else if (!EXACT_VERSION.test(str(body.version))) {
      add('pinned-module', `module ${name}: registry source needs an exact version`);
    }
  }

  for (const tf of bodies(f.json.terraform)) {
    for (const backend of bodies(isObj(tf.backend) ? tf.backend.s3 : undefined)) {
      if (backend.encrypt !== true || backend.use_lockfile !== true)
        add('state-backend', 'the s3 backend needs encrypt = true and use_lockfile = true');
    }
    for (const providers of bodies(tf.required_providers)) {
      for (const [provider, spec] of Object.entries(providers)) {
        const version = isObj(spec) ? str(spec.version) : '';
        const pinned = isRoot
          ? EXACT_VERSION.test(version)
          : /</.test(version) && />=?/.test(version);
        if (!pinned)
          add(
            'pinned-provider',
            `${provider} "${version}" must be ${isRoot ? 'exact' : 'bounded (>= and <)'}`,
          );
      }
    }
  }

  for (const [name, body] of labelled(f.json, 'variable')) {
    if (typeof body.type !== 'string') add('variable-typed', `variable ${name} has no type`);
    if (typeof body.description !== 'string' || body.description.trim() === '')
      add('variable-described', `variable ${name} has no description`);
    if (/cidr/.test(name) && isOpen(body.default))
      add('no-open-ingress', `variable ${name} defaults to the internet`);
  }

  for (const [type, name, body] of resources(f.json)) {
    if (type === 'aws_db_instance' && body.storage_encrypted !== true)
      add('encryption', `${type}.${name} unencrypted`);
    if (type === 'aws_ecr_repository' && body.image_tag_mutability !== 'IMMUTABLE')
      add('immutable-tags', `${type}.${name} must have IMMUTABLE tags`);
  }
  return out;
}

/** Whole-tree rules: buckets encrypted, prod database protected, one tags local per root. */
function checkTree(files: TfFile[]): Violation[] {
  const out: Violation[] = [];
  const all = files.map((f) => ({ f, res: resources(f.json) }));
  const sse = new Set(
    all.flatMap(({ res }) =>
      res
        .filter(([t]) => t === 'aws_s3_bucket_server_side_encryption_configuration')
        .map(([, , b]) => str(b.bucket).replace(/^\$\{(.*)\.id\}$/, '$1')),
    ),
  );
  for (const { f, res } of all) {
    for (const [type, name] of res) {
      if (type === 'aws_s3_bucket' && !sse.has(`${type}.${name}`))
        out.push({
          rule: 'encryption',
          file: f.rel,
          message: `bucket ${name} has no encryption configuration`,
        });
    }
  }

  const roots = new Map<string, TfFile[]>();
  for (const f of files) {
    const dir = f.rel.split('/').slice(0, -1).join('/');
    if (/^(envs\/[^/]+|bootstrap)$/.test(dir)) roots.set(dir, [...(roots.get(dir) ?? []), f]);
  }
  for (const [dir, rootFiles] of roots) {
    const tagLocals = rootFiles.flatMap((f) => bodies(f.json.locals).filter((l) => 'tags' in l));
    if (tagLocals.length !== 1)
      out.push({
        rule: 'one-tags-local',
        file: dir,
        message: `${tagLocals.length} locals define tags; want 1`,
      });
  }
  out.push(...checkProductionDatabase(roots), ...checkPlanKnownKeys(files));
  return out;
}

/** The production database (envs/prod or envs/platform) exists, is Multi-AZ and protected. */
function checkProductionDatabase(roots: Map<string, TfFile[]>): Violation[] {
  const out: Violation[] = [];
  const calls = [...roots]
    .filter(([dir]) => PRODUCTION_ROOTS.has(dir))
    .flatMap(([, rootFiles]) =>
      rootFiles.flatMap((f) =>
        labelled(f.json, 'module')
          .filter(([, body]) => str(body.source).endsWith('modules/database'))
          .map(([name, body]) => ({ f, name, body })),
      ),
    );
  if (calls.length === 0 && roots.size > 0)
    out.push({
      rule: 'prod-deletion-protection',
      file: [...PRODUCTION_ROOTS].join(', '),
      message: 'no production database module found',
    });
  for (const { f, name, body } of calls) {
    if (body.deletion_protection !== true)
      out.push({ rule: 'prod-deletion-protection', file: f.rel, message: `module ${name}` });
    if (body.multi_az !== true)
      out.push({ rule: 'prod-multi-az', file: f.rel, message: `module ${name}` });
  }
  return out;
}

const PRODUCTION_ROOTS = new Set(['envs/prod', 'envs/platform']);
const REF = (kind: string) => new RegExp(`\\b${kind}\\.([A-Za-z0-9_-]+)`, 'g');
/** References to values Terraform may know only after apply. */
const APPLY_TIME = /\b(module|data)\.[A-Za-z0-9_-]+|\baws_[a-z0-9_]+\.[A-Za-z0-9_-]+/;

function refs(expr: string, kind: string): string[] {
  return [...expr.matchAll(REF(kind))].map((m) => m[1]);
}

/** Every count / for_each expression in a file's resources, data sources and module calls. */
function keyExpressions(json: Obj): string[] {
  const found: string[] = [];
  const blocks = [
    ...resources(json).map(([, , body]) => body),
    ...labelled(json, 'module').map(([, body]) => body),
    ...Object.values(isObj(json.data) ? json.data : {}).flatMap((byName) =>
      labelled({ d: byName }, 'd').map(([, body]) => body),
    ),
  ];
  for (const body of blocks)
    for (const key of ['count', 'for_each'])
      if (body[key] !== undefined) found.push(JSON.stringify(body[key]));
  return found;
}

/** Local name → its expression text, over a set of files. */
function localsOf(files: TfFile[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const f of files)
    for (const l of bodies(f.json.locals))
      for (const [k, v] of Object.entries(l)) map.set(k, JSON.stringify(v));
  return map;
}

/** Expands local.x references (transitively) so the variables and values behind them show. */
function expand(expr: string, locals: Map<string, string>, seen = new Set<string>()): string {
  let text = expr;
  for (const name of refs(expr, 'local')) {
    if (seen.has(name) || !locals.has(name)) continue;
    seen.add(name);
    text += ' ' + expand(locals.get(name) ?? '', locals, seen);
  }
  return text;
}

/**
 * count and for_each must be decidable at plan time. Inside a module, the variables its
 * count / for_each read are traced to every root that calls it: a value built from module
 * outputs, data sources or resource attributes fails, except a map literal, whose keys are
 * written in the call (only the keys of a for_each map must be known).
 */
function checkPlanKnownKeys(files: TfFile[]): Violation[] {
  const out: Violation[] = [];
  const byDir = new Map<string, TfFile[]>();
  for (const f of files) {
    const dir = f.rel.split('/').slice(0, -1).join('/');
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const keyVars = new Map<string, Set<string>>();
  for (const [dir, dirFiles] of byDir) {
    if (!dir.startsWith('modules/')) continue;
    const locals = localsOf(dirFiles);
    const vars = new Set(
      dirFiles.flatMap((f) =>
        keyExpressions(f.json).flatMap((e) => refs(expand(e, locals), 'var')),
      ),
    );
    keyVars.set(dir, vars);
  }
  for (const dirFiles of byDir.values()) {
    const locals = localsOf(dirFiles);
    for (const f of dirFiles) {
      for (const [name, body] of labelled(f.json, 'module')) {
        const source = str(body.source);
        if (!source.startsWith('../')) continue;
        const target = source.replace(/^(\.\.\/)+/, '');
        for (const variable of keyVars.get(target) ?? []) {
          const value = body[variable];
          if (value === undefined || isObj(value)) continue;
          const text = expand(JSON.stringify(value), locals);
          if (APPLY_TIME.test(text))
            out.push({
              rule: 'plan-known-keys',
              file: f.rel,
              message: `module ${name}: ${variable} decides a count or for_each in ${target} but comes from ${APPLY_TIME.exec(text)?.[0]}`,
            });
        }
      }
    }
  }
  return out;
}

export async function checkTerraform(dir: string): Promise<Violation[]> {
  const files = await loadTerraform(dir);
  const perFile = files.flatMap((f) => checkFile(f, !f.rel.startsWith('modules/')));
  return [...perFile, ...checkTree(files)];
}
