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
    if (!dir.endsWith('/prod')) continue;
    for (const f of rootFiles) {
      for (const [name, body] of labelled(f.json, 'module')) {
        if (!str(body.source).endsWith('modules/database')) continue;
        if (body.deletion_protection !== true)
          out.push({ rule: 'prod-deletion-protection', file: f.rel, message: `module ${name}` });
        if (body.multi_az !== true)
          out.push({ rule: 'prod-multi-az', file: f.rel, message: `module ${name}` });
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
