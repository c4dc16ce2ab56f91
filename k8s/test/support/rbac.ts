import type { K8sObject } from './types';

/** The REST resource of each kind an overlay may apply; a kind missing here is reported. */
const RESOURCE: Record<string, string> = {
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

/** What `kubectl apply` and a rollout wait need on every kind applied. */
export const APPLY_VERBS = ['get', 'list', 'watch', 'create', 'patch'];

/** Reads the scripts make beyond the applied kinds: rollout undo/history, Job logs. */
const READS: Record<string, string[]> = {
  'apps/replicasets': ['get', 'list'],
  '/pods': ['get', 'list'],
  '/pods/log': ['get'],
};

export const DEPLOYER_GROUP = 'tradepost:deployer';

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const groupOf = (o: K8sObject) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');

/** The rules group tradepost:deployer holds in a namespace, through RoleBindings to Roles. */
export function deployerRules(cluster: K8sObject[], namespace: string): PolicyRule[] | undefined {
  const bound = cluster.filter(
    (o) =>
      o.kind === 'RoleBinding' &&
      o.metadata.namespace === namespace &&
      (o as unknown as { subjects?: { kind: string; name: string }[] }).subjects?.some(
        (s) => s.kind === 'Group' && s.name === DEPLOYER_GROUP,
      ),
  );
  const roles = bound.map(
    (b) => (b as unknown as { roleRef: { kind: string; name: string } }).roleRef,
  );
  if (roles.length === 0) return undefined;
  return roles.flatMap((ref) => {
    const role = cluster.find(
      (o) =>
        o.kind === ref.kind && o.metadata.name === ref.name && o.metadata.namespace === namespace,
    );
    return (role as unknown as { rules?: PolicyRule[] } | undefined)?.rules ?? [];
  });
}

function allows(rules: PolicyRule[], group: string, resource: string, verb: string, name?: string) {
  return rules.some(
    (r) =>
      r.apiGroups.includes(group) &&
      r.resources.includes(resource) &&
      r.verbs.includes(verb) &&
      (!r.resourceNames || (name !== undefined && r.resourceNames.includes(name))),
  );
}

/**
 * What is wrong with the deployer's rights in `namespace`: a kind `applied` there that it
 * may not apply, an object of `deleted` it may not delete by name, and any right beyond
 * those (wildcards, kinds nothing applies, deletes of anything else).
 */
export function rbacProblems(
  rules: PolicyRule[] | undefined,
  namespace: string,
  applied: K8sObject[],
  deleted: K8sObject[],
): string[] {
  if (!rules) return [`${namespace}: no RoleBinding gives group ${DEPLOYER_GROUP} a Role`];
  const out: string[] = [];
  const kinds = new Set<string>();
  for (const o of applied) {
    const resource = RESOURCE[o.kind];
    const where = `${namespace}: ${o.kind}/${o.metadata.name}`;
    if (!resource) {
      out.push(
        `${where}: unknown kind (add its resource to k8s/test/support/rbac.ts and the Role)`,
      );
      continue;
    }
    if (o.metadata.namespace !== namespace) out.push(`${where}: not in the namespace`);
    const group = groupOf(o);
    kinds.add(`${group}/${resource}`);
    const missing = APPLY_VERBS.filter((v) => !allows(rules, group, resource, v));
    if (missing.length > 0) out.push(`${where}: ${group}/${resource} lacks ${missing.join(', ')}`);
  }
  const deletable = new Set<string>();
  for (const o of deleted) {
    const key = `${groupOf(o)}/${RESOURCE[o.kind]}`;
    deletable.add(`${key}/${o.metadata.name}`);
    if (!allows(rules, groupOf(o), RESOURCE[o.kind], 'delete', o.metadata.name))
      out.push(`${namespace}: cannot delete ${o.kind}/${o.metadata.name}`);
  }
  for (const rule of rules) {
    for (const group of rule.apiGroups) {
      for (const resource of rule.resources) {
        const key = `${group}/${resource}`;
        for (const verb of rule.verbs) {
          const named = (rule.resourceNames ?? []).map((n) => `${key}/${n}`);
          const ok =
            (kinds.has(key) && APPLY_VERBS.includes(verb) && !rule.resourceNames) ||
            (READS[key]?.includes(verb) && !rule.resourceNames) ||
            (verb === 'delete' && named.length > 0 && named.every((n) => deletable.has(n)));
          if (!ok)
            out.push(
              `${namespace}: Role grants ${verb} on ${key}${named.length ? ` (${rule.resourceNames?.join(', ')})` : ''} beyond what is applied`,
            );
        }
      }
    }
  }
  return out;
}
