/**
 * What the deploy role must be allowed, derived from the scripts themselves: every kubectl
 * call in scripts/ci is found and turned into the API requests kubectl makes for it (read at
 * kubectl's source, kubernetes/kubectl v0.35: pkg/cmd/apply, pkg/cmd/rollout,
 * pkg/polymorphichelpers/rollback.go and logsforobject.go, pkg/cmd/delete and pkg/cmd/wait).
 * A call this file does not know is reported, never skipped.
 */

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

/** One API request kubectl makes: a verb on group/resource, by name where RBAC can say so. */
export interface Need {
  group: string;
  resource: string;
  verb: string;
  /** Only for delete: the one request here that RBAC can restrict to a name. */
  name?: string;
  why: string;
}

export interface KubectlCall {
  where: string;
  args: string[];
}

export interface Applied {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** REST resource of each kind an overlay may apply; an unknown kind is reported. */
const KIND_RESOURCE: Record<string, string> = {
  ConfigMap: 'configmaps',
  Deployment: 'deployments',
  ExternalSecret: 'externalsecrets',
  HorizontalPodAutoscaler: 'horizontalpodautoscalers',
  Job: 'jobs',
  NetworkPolicy: 'networkpolicies',
  PodDisruptionBudget: 'poddisruptionbudgets',
  PodMonitor: 'podmonitors',
  PrometheusRule: 'prometheusrules',
  Secret: 'secrets',
  SecretStore: 'secretstores',
  Service: 'services',
  ServiceAccount: 'serviceaccounts',
};

/** kubectl's resource names (singular, plural, short) → group and resource. */
const TYPES: Record<string, [string, string]> = {};
for (const [names, group, resource] of [
  [['deployment', 'deployments', 'deploy'], 'apps', 'deployments'],
  [['job', 'jobs'], 'batch', 'jobs'],
  [['service', 'services', 'svc'], '', 'services'],
  [['pod', 'pods', 'po'], '', 'pods'],
  [['replicaset', 'replicasets', 'rs'], 'apps', 'replicasets'],
] as const)
  for (const name of names) TYPES[name] = [group, resource];

/** Flags that take the next word as their value. */
const VALUE_FLAGS = new Set([
  '-n',
  '--namespace',
  '-o',
  '--output',
  '-f',
  '--filename',
  '-l',
  '--selector',
  '--context',
  '--kubeconfig',
]);

/**
 * Every kubectl command in a bash script, as its words with the quotes taken off. Words in
 * quotes, comments and `command -v kubectl` are not calls.
 */
export function kubectlCalls(file: string, script: string): KubectlCall[] {
  const text = script.replace(/\\\n/g, ' ');
  const calls: KubectlCall[] = [];
  // Quote state per $( ) level: a word is code only outside quotes at its own level.
  const stack: { dq: boolean; sq: boolean }[] = [{ dq: false, sq: false }];
  let comment = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (comment) {
      if (c === '\n') comment = false;
      continue;
    }
    if (top.sq) {
      if (c === "'") top.sq = false;
      continue;
    }
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '$' && text[i + 1] === '(') {
      stack.push({ dq: false, sq: false });
      i++;
      continue;
    }
    if (c === ')' && !top.dq && stack.length > 1) {
      stack.pop();
      continue;
    }
    if (c === '"') {
      top.dq = !top.dq;
      continue;
    }
    if (top.dq) continue;
    if (c === "'") {
      top.sq = true;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      comment = true;
      continue;
    }
    if (
      text.startsWith('kubectl', i) &&
      (i === 0 || /[\s;(|&]/.test(text[i - 1])) &&
      /\s/.test(text[i + 7] ?? '') &&
      !/command\s+-v\s+$/.test(text.slice(Math.max(0, i - 20), i))
    ) {
      const line = text.slice(0, i).split('\n').length;
      calls.push({ where: `${file}:${line}`, args: words(text, i + 7) });
      i += 6;
    }
  }
  return calls;
}

/** The words of one command starting at `from`, up to the first unquoted operator. */
function words(text: string, from: number): string[] {
  const out: string[] = [];
  let word = '';
  let started = false;
  const end = () => {
    if (started) out.push(word);
    word = '';
    started = false;
  };
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const close = text.indexOf(c, i + 1);
      word += text.slice(i + 1, close);
      started = true;
      i = close;
    } else if (c === '$' && text[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        if (text[j] === ')' && --depth === 0) break;
      }
      word += text.slice(i, j + 1);
      started = true;
      i = j;
    } else if (/[|;&)<>\n]/.test(c)) break;
    else if (/\s/.test(c)) end();
    else {
      word += c;
      started = true;
    }
  }
  end();
  return out;
}

const need = (
  group: string,
  resource: string,
  verbs: string[],
  why: string,
  name?: string,
): Need[] => verbs.map((verb) => ({ group, resource, verb, why, ...(name ? { name } : {}) }));

/**
 * The requests one kubectl call makes. `applied` is what `kubectl apply` is given; a call
 * or a kind this file does not know is returned as a problem.
 */
export function needsOf(
  call: KubectlCall,
  applied: Applied[],
): { needs: Need[]; problems: string[] } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < call.args.length; i++) {
    const a = call.args[i];
    if (!a.startsWith('-') || a === '-') positional.push(a);
    else if (a.includes('=')) flags.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1));
    else if (VALUE_FLAGS.has(a)) flags.set(a, call.args[++i] ?? '');
    else flags.set(a, 'true');
  }
  const why = `${call.where} kubectl ${call.args.join(' ')}`;
  const [command, ...rest] = positional;
  const target = (words: string[]): [string, string, string] | null => {
    const [type, name] = words[0]?.includes('/') ? words[0].split('/') : [words[0], words[1]];
    const known = TYPES[type ?? ''];
    return known ? [known[0], known[1], name ?? ''] : null;
  };
  const unknown = {
    needs: [],
    problems: [`${why}: unknown to this check (add what kubectl requests for it)`],
  };

  switch (command) {
    case 'version':
    case 'kustomize':
      return { needs: [], problems: [] };
    case 'apply': {
      const needs: Need[] = [];
      const problems: string[] = [];
      for (const o of applied) {
        const resource = KIND_RESOURCE[o.kind];
        if (!resource)
          problems.push(
            `${why}: applies ${o.kind}/${o.metadata.name}, a kind this check does not know`,
          );
        else
          needs.push(
            ...need(groupOf(o), resource, ['get', 'create', 'patch'], `${why} (${o.kind})`),
          );
      }
      return { needs, problems };
    }
    case 'get': {
      const t = target(rest);
      return t ? { needs: need(t[0], t[1], ['get'], why), problems: [] } : unknown;
    }
    case 'delete': {
      const t = target(rest);
      if (!t || !t[2]) return unknown;
      const wait = flags.get('--wait') !== 'false';
      return {
        needs: [
          ...need(t[0], t[1], ['delete'], why, t[2]),
          ...(wait
            ? need(t[0], t[1], ['get', 'list', 'watch'], `${why} (waits until it is gone)`)
            : []),
        ],
        problems: [],
      };
    }
    case 'logs': {
      const t = target(rest);
      if (!t) return unknown;
      return {
        needs: [
          ...need(t[0], t[1], ['get'], why),
          ...need('', 'pods', ['list', 'watch'], `${why} (finds the pods)`),
          ...need('', 'pods/log', ['get'], why),
        ],
        problems: [],
      };
    }
    case 'rollout': {
      const [action, ...more] = rest;
      const t = target(more);
      if (!t) return unknown;
      if (action === 'status')
        return { needs: need(t[0], t[1], ['get', 'list', 'watch'], why), problems: [] };
      if (action === 'undo' && t[1] === 'deployments')
        return {
          needs: [
            ...need(t[0], t[1], ['get', 'patch'], why),
            ...need('apps', 'replicasets', ['list'], `${why} (finds the revision)`),
          ],
          problems: [],
        };
      return unknown;
    }
    default:
      return unknown;
  }
}

export const groupOf = (o: { apiVersion: string }): string =>
  o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';

const allows = (rules: PolicyRule[], n: Need): boolean =>
  rules.some(
    (r) =>
      r.apiGroups.includes(n.group) &&
      r.resources.includes(n.resource) &&
      r.verbs.includes(n.verb) &&
      (!r.resourceNames || (n.name !== undefined && r.resourceNames.includes(n.name))),
  );

/**
 * What is wrong with `rules` for `needs`: each request they refuse, and each right they grant
 * that no request uses (wildcards included), so the role is exactly what the scripts do.
 */
export function rbacProblems(rules: PolicyRule[], needs: Need[]): string[] {
  const out: string[] = [];
  const missing = new Map<string, string[]>();
  for (const n of needs) {
    if (!allows(rules, n)) {
      const what = `${n.verb} on ${n.group || 'core'}/${n.resource}${n.name ? ` ${n.name}` : ''}`;
      const whys = missing.get(what) ?? [];
      if (!whys.includes(n.why)) missing.set(what, [...whys, n.why]);
    }
  }
  for (const [what, whys] of missing)
    out.push(`the role refuses ${what}, needed by ${whys.join('; ')}`);
  for (const r of rules)
    for (const group of r.apiGroups)
      for (const resource of r.resources)
        for (const verb of r.verbs) {
          const same = needs.filter(
            (n) => n.group === group && n.resource === resource && n.verb === verb,
          );
          const what = `${verb} on ${group || 'core'}/${resource}`;
          if (r.resourceNames) {
            for (const name of r.resourceNames)
              if (!same.some((n) => n.name === name))
                out.push(`the role grants ${what} ${name}, which no script does`);
          } else if (!same.some((n) => n.name === undefined))
            out.push(
              same.length > 0
                ? `the role grants ${what} for every name; the scripts only need ${[...new Set(same.map((n) => n.name))].join(', ')}`
                : `the role grants ${what}, which no script does`,
            );
        }
  return out;
}

/** The rules a group holds in a namespace through RoleBindings to Roles there. */
export function rulesOf(
  objects: {
    kind: string;
    metadata: { name: string; namespace?: string };
    subjects?: { kind: string; name: string }[];
    roleRef?: { kind: string; name: string };
    rules?: PolicyRule[];
  }[],
  namespace: string,
  group: string,
): PolicyRule[] | undefined {
  const refs = objects
    .filter(
      (o) =>
        o.kind === 'RoleBinding' &&
        o.metadata.namespace === namespace &&
        o.subjects?.some((s) => s.kind === 'Group' && s.name === group),
    )
    .map((b) => b.roleRef!);
  if (refs.length === 0) return undefined;
  return refs.flatMap(
    (ref) =>
      objects.find(
        (o) =>
          o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === namespace,
      )?.rules ?? [],
  );
}
