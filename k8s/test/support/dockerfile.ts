import { DockerfileParser, ModifiableInstruction, type Instruction } from 'dockerfile-ast';
import { inContext, type parseDockerignore } from './dockerignore';

type IgnoreRules = ReturnType<typeof parseDockerignore>;

interface Stage {
  name: string | null;
  image: string;
  instructions: Instruction[];
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL/i;
const OCI_LABELS = ['source', 'revision', 'version'].map((k) => `org.opencontainers.image.${k}`);

function stages(text: string): Stage[] {
  const out: Stage[] = [];
  for (const ins of DockerfileParser.parse(text).getInstructions()) {
    if (ins.getKeyword() === 'FROM') {
      const args = ins.getArguments().map((a) => a.getValue());
      const as = args.findIndex((a) => a.toUpperCase() === 'AS');
      out.push({
        name: as >= 0 ? args[as + 1] : null,
        image: args.find((a) => !a.startsWith('--')) ?? '',
        instructions: [],
      });
    } else if (out.length > 0) out[out.length - 1].instructions.push(ins);
  }
  return out;
}

const of = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.getKeyword() === keyword);
const args = (ins: Instruction) => ins.getArguments().map((a) => a.getValue());
const content = (ins: Instruction) => ins.getArgumentsContent() ?? '';
/** `--from=stage` of a COPY (dockerfile-ast keeps flags apart from the arguments). */
const fromFlag = (ins: Instruction) =>
  ins instanceof ModifiableInstruction
    ? (ins
        .getFlags()
        .find((f) => f.getName() === 'from')
        ?.getValue() ?? undefined)
    : undefined;

/** Exec-form JSON array of a CMD/HEALTHCHECK CMD, or null for shell form. */
function execForm(text: string): string[] | null {
  const json = text.slice(text.indexOf('['));
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.map(String) : null;
  } catch {
    return null;
  }
}

export interface DockerfileOptions {
  /** Build context root (the repository root for every Tradepost image). */
  context: string;
  ignore: IgnoreRules;
  /** V8 flags the service's CMD must pass to node, before `dist/server.js`. */
  nodeFlags: readonly string[];
}

/** Problems of one Dockerfile; generic checks plus Node-service checks when it runs node. */
export function dockerfileProblems(text: string, opts: DockerfileOptions): string[] {
  const all = stages(text);
  if (all.length === 0) return ['no FROM'];
  const names = new Set(all.map((s) => s.name).filter((n): n is string => n !== null));
  const final = all[all.length - 1];
  const out: string[] = [];

  for (const s of all) {
    if (names.has(s.image)) continue;
    const [, tag = ''] = s.image.split('@')[0].split(/:(?=[^/]*$)/);
    if (!s.image.includes('@sha256:') && !/\d+\.\d+\.\d+/.test(tag)) {
      out.push(`FROM ${s.image}: base image must be pinned to an exact version or digest`);
    }
  }
  for (const s of all) {
    for (const ins of [...of(s, 'ENV'), ...of(s, 'ARG')]) {
      for (const name of args(ins).map((a) => a.split('=')[0])) {
        if (SECRET_NAME.test(name))
          out.push(`${ins.getKeyword()} ${name}: secrets must not be baked into images`);
      }
    }
    for (const copy of of(s, 'COPY')) {
      const parts = args(copy).filter((a) => !a.startsWith('--'));
      if (fromFlag(copy)) continue;
      for (const src of parts.slice(0, -1)) {
        if (!inContext(opts.context, opts.ignore, src.replace(/\/+$/, ''))) {
          out.push(`COPY ${src}: not in the build context (missing or excluded by .dockerignore)`);
        }
      }
    }
  }

  const users = of(final, 'USER').map((u) => content(u).trim());
  const user = users[users.length - 1];
  if (!user || /^(root|0)(:|$)/.test(user)) out.push('final stage must end with a non-root USER');
  const health = of(final, 'HEALTHCHECK');
  if (health.length === 0 || /^NONE/i.test(content(health[0]).trim()))
    out.push('final stage has no HEALTHCHECK');
  const cmd = of(final, 'CMD').pop();
  const argv = cmd ? execForm(content(cmd)) : null;
  if (!argv) out.push('final stage needs an exec-form CMD');
  else if (/^(npm|npx|yarn|pnpm)$/.test(argv[0]))
    out.push(`CMD ${argv[0]}: run the process directly, not through a package manager`);
  const labels = of(final, 'LABEL').map(content).join(' ');
  for (const label of OCI_LABELS)
    if (!labels.includes(label)) out.push(`final stage has no ${label} label`);

  if (all.some((s) => /^node:/.test(s.image)))
    out.push(...nodeProblems(all, final, argv, opts.nodeFlags));
  return out;
}

function nodeProblems(
  all: Stage[],
  final: Stage,
  argv: string[] | null,
  nodeFlags: readonly string[],
): string[] {
  const out: string[] = [];
  const runs = (s: Stage) => of(s, 'RUN').map(content);
  if (!all.some((s) => runs(s).some((r) => /\bnpm ci\b/.test(r)))) out.push('no stage runs npm ci');
  if (runs(final).some((r) => /\bnpm (ci|install|i)\b/.test(r)))
    out.push('runtime stage installs packages itself');
  for (const copy of of(final, 'COPY')) {
    const from = fromFlag(copy);
    if (!from || !args(copy).some((a) => a.includes('node_modules'))) continue;
    const source = all.find((s) => s.name === from);
    if (!source || !runs(source).some((r) => /\bnpm ci\b.*--omit=dev/.test(r))) {
      out.push(`node_modules from stage ${from} must come from npm ci --omit=dev`);
    }
  }
  const expected = ['node', ...nodeFlags, 'dist/server.js'];
  if (!argv || argv.join(' ') !== expected.join(' '))
    out.push(`CMD must be ${JSON.stringify(expected)}`);
  return out;
}

/** True when the last stage declares a HEALTHCHECK other than NONE. */
export function dockerfileHasHealthcheck(text: string): boolean {
  const all = stages(text);
  const health = all.length > 0 ? of(all[all.length - 1], 'HEALTHCHECK') : [];
  return health.length > 0 && !/^NONE/i.test(content(health[0]).trim());
}
