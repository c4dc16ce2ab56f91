import type {
  Container,
  ExternalSecretSpec,
  HpaSpec,
  K8sObject,
  NetworkPolicySpec,
  Probe,
  ServiceSpec,
} from './types';
import { byKind, containersOf, deployments, selects, workloads } from './workloads';

/** A rule reads rendered objects and names every object that breaks it. */
export type Rule = (objects: K8sObject[]) => string[];

const PRESTOP_MIN_SECONDS = 10;
const GRACE_BEYOND_PRESTOP_SECONDS = 25;

const probePath = (p: Probe | undefined) => p?.httpGet?.path;

export const rollingUpdate: Rule = (objects) =>
  deployments(objects).flatMap(({ name, spec }) => {
    const ru = spec.strategy?.rollingUpdate;
    return spec.strategy?.type === 'RollingUpdate' && ru?.maxUnavailable === 0 && ru.maxSurge === 1
      ? []
      : [`Deployment ${name}: strategy must be RollingUpdate with maxUnavailable 0, maxSurge 1`];
  });

export const probes: Rule = (objects) =>
  workloads(objects)
    .filter((w) => w.kind === 'Deployment')
    .flatMap((w) =>
      w.template.spec.containers.flatMap((c) => {
        const where = `${w.name}/${c.name}`;
        const out: string[] = [];
        if (!c.startupProbe) out.push(`${where}: no startupProbe`);
        if (!c.readinessProbe) out.push(`${where}: no readinessProbe`);
        if (!c.livenessProbe) out.push(`${where}: no livenessProbe`);
        const live = probePath(c.livenessProbe);
        if (live !== undefined && live === probePath(c.readinessProbe)) {
          out.push(`${where}: liveness and readiness probe the same path ${live}`);
        }
        if (live === '/readyz')
          out.push(`${where}: liveness must not check dependencies (/readyz)`);
        return out;
      }),
    );

export const resources: Rule = (objects) =>
  workloads(objects).flatMap((w) =>
    containersOf(w).flatMap((c) =>
      ['requests', 'limits'].flatMap((kind) =>
        ['cpu', 'memory'].flatMap((res) =>
          c.resources?.[kind as 'requests' | 'limits']?.[res]
            ? []
            : [`${w.name}/${c.name}: no ${kind}.${res}`],
        ),
      ),
    ),
  );

const containerHardening = (where: string, c: Container): string[] => {
  const s = c.securityContext;
  const out: string[] = [];
  if (s?.allowPrivilegeEscalation !== false)
    out.push(`${where}: allowPrivilegeEscalation must be false`);
  if (s?.readOnlyRootFilesystem !== true) out.push(`${where}: readOnlyRootFilesystem must be true`);
  if (!(s?.capabilities?.drop ?? []).includes('ALL'))
    out.push(`${where}: capabilities must drop ALL`);
  if ((s?.capabilities?.add ?? []).length > 0) out.push(`${where}: adds capabilities`);
  return out;
};

export const security: Rule = (objects) =>
  workloads(objects).flatMap((w) => {
    const pod = w.template.spec;
    const out: string[] = [];
    if (pod.securityContext?.runAsNonRoot !== true)
      out.push(`${w.name}: pod runAsNonRoot must be true`);
    if (pod.securityContext?.runAsUser === 0) out.push(`${w.name}: runs as uid 0`);
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') {
      out.push(`${w.name}: seccompProfile must be RuntimeDefault`);
    }
    if (pod.automountServiceAccountToken !== false) {
      out.push(`${w.name}: automountServiceAccountToken must be false (no pod here calls the API)`);
    }
    for (const c of containersOf(w)) {
      out.push(...containerHardening(`${w.name}/${c.name}`, c));
      const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
      const vol = pod.volumes?.find((v) => v.name === tmp?.name);
      if (!vol?.emptyDir) out.push(`${w.name}/${c.name}: /tmp must be a writable emptyDir`);
    }
    return out;
  });

export const shutdown: Rule = (objects) =>
  workloads(objects)
    .filter((w) => w.kind === 'Deployment')
    .flatMap((w) => {
      const grace = w.template.spec.terminationGracePeriodSeconds ?? 30;
      return w.template.spec.containers.flatMap((c) => {
        const sleep = c.lifecycle?.preStop?.sleep?.seconds;
        if (sleep === undefined) return [`${w.name}/${c.name}: no preStop sleep`];
        const out: string[] = [];
        if (sleep < PRESTOP_MIN_SECONDS)
          out.push(`${w.name}/${c.name}: preStop ${sleep}s < ${PRESTOP_MIN_SECONDS}s`);
        if (grace < sleep + GRACE_BEYOND_PRESTOP_SECONDS) {
          out.push(
            `${w.name}: grace ${grace}s < preStop ${sleep}s + ${GRACE_BEYOND_PRESTOP_SECONDS}s drain`,
          );
        }
        return out;
      });
    });

export const zoneSpread: Rule = (objects) =>
  workloads(objects)
    .filter((w) => w.kind === 'Deployment')
    .flatMap((w) =>
      (w.template.spec.topologySpreadConstraints ?? []).some(
        (t) => t.topologyKey === 'topology.kubernetes.io/zone',
      )
        ? []
        : [`${w.name}: no topology spread across zones`],
    );

export const imageTags: Rule = (objects) =>
  workloads(objects).flatMap((w) =>
    containersOf(w).flatMap((c) => {
      const match =
        /^(?<repo>[^@]+?)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@sha256:[a-f0-9]{64})?$/.exec(c.image);
      const tag = match?.groups?.tag;
      if (c.image.includes('@sha256:')) return [];
      if (!tag) return [`${w.name}/${c.name}: image ${c.image} has no tag`];
      return tag === 'latest' ? [`${w.name}/${c.name}: image ${c.image} uses latest`] : [];
    }),
  );

export const serviceSelectors: Rule = (objects) =>
  byKind(objects, 'Service').flatMap((svc) => {
    const spec = svc.spec as unknown as ServiceSpec;
    const pods = workloads(objects).filter(
      (w) => w.kind === 'Deployment' && selects(spec.selector, w.template.metadata?.labels),
    );
    if (pods.length === 0)
      return [`Service ${svc.metadata.name}: selector matches no pod template`];
    return spec.ports.flatMap((p) =>
      typeof p.targetPort === 'string' &&
      !pods.every((w) =>
        w.template.spec.containers.some((c) => c.ports?.some((cp) => cp.name === p.targetPort)),
      )
        ? [
            `Service ${svc.metadata.name}: targetPort ${p.targetPort} is not a named port of every selected pod`,
          ]
        : [],
    );
  });

/** Keys each ConfigMap/Secret will hold once applied (ExternalSecrets create theirs). */
function availableKeys(objects: K8sObject[]): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const o of objects) {
    if (o.kind === 'ConfigMap' || o.kind === 'Secret') {
      keys.set(
        `${o.kind}/${o.metadata.name}`,
        new Set(Object.keys({ ...o.data, ...o.stringData })),
      );
    }
    if (o.kind === 'ExternalSecret') {
      const spec = o.spec as ExternalSecretSpec;
      keys.set(
        `Secret/${spec.target?.name ?? o.metadata.name}`,
        new Set((spec.data ?? []).map((d) => d.secretKey)),
      );
    }
  }
  return keys;
}

export const references: Rule = (objects) => {
  const keys = availableKeys(objects);
  const need = (where: string, ref: string, key?: string): string[] => {
    const have = keys.get(ref);
    if (!have) return [`${where}: ${ref} does not exist`];
    return key !== undefined && !have.has(key) ? [`${where}: ${ref} has no key ${key}`] : [];
  };
  return workloads(objects).flatMap((w) => [
    ...containersOf(w).flatMap((c) => [
      // An optional source may be absent (nginx-canary exists only while a canary runs).
      ...(c.envFrom ?? []).flatMap((e) => [
        ...(e.configMapRef && !e.configMapRef.optional
          ? need(w.name, `ConfigMap/${e.configMapRef.name}`)
          : []),
        ...(e.secretRef && !e.secretRef.optional ? need(w.name, `Secret/${e.secretRef.name}`) : []),
      ]),
      ...(c.env ?? []).flatMap((e) => {
        const cm = e.valueFrom?.configMapKeyRef;
        const sec = e.valueFrom?.secretKeyRef;
        return [
          ...(cm ? need(w.name, `ConfigMap/${cm.name}`, cm.key) : []),
          ...(sec ? need(w.name, `Secret/${sec.name}`, sec.key) : []),
        ];
      }),
    ]),
    ...(w.template.spec.volumes ?? []).flatMap((v) => [
      ...(v.secret ? need(w.name, `Secret/${v.secret.secretName}`) : []),
      ...(v.configMap ? need(w.name, `ConfigMap/${v.configMap.name}`) : []),
      ...(v.secret?.items ?? []).flatMap((i) =>
        need(w.name, `Secret/${v.secret?.secretName}`, i.key),
      ),
    ]),
  ]);
};

export const networkPolicies: Rule = (objects) => {
  const policies = byKind(objects, 'NetworkPolicy').map((p) => ({
    name: p.metadata.name,
    spec: p.spec as unknown as NetworkPolicySpec,
  }));
  const out: string[] = [];
  const denyAll = policies.find(
    (p) =>
      Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 &&
      ['Ingress', 'Egress'].every((t) => p.spec.policyTypes?.includes(t)) &&
      !p.spec.ingress &&
      !p.spec.egress,
  );
  if (!denyAll)
    out.push('no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)');
  for (const w of workloads(objects)) {
    const labels = w.template.metadata?.labels;
    if (!policies.some((p) => selects(p.spec.podSelector.matchLabels, labels))) {
      out.push(`${w.kind} ${w.name}: no NetworkPolicy selects its pods`);
    }
  }
  return out;
};

export const autoscaling: Rule = (objects) => {
  const deps = deployments(objects);
  const out: string[] = [];
  for (const hpa of byKind(objects, 'HorizontalPodAutoscaler')) {
    const spec = hpa.spec as unknown as HpaSpec;
    const target = deps.find((d) => d.name === spec.scaleTargetRef.name);
    if (!target)
      out.push(`HPA ${hpa.metadata.name}: target ${spec.scaleTargetRef.name} does not exist`);
    else if (target.spec.replicas !== undefined) {
      // kubectl apply would set the count back to this on every deploy.
      out.push(
        `Deployment ${target.name}: sets replicas ${target.spec.replicas} under HPA ${hpa.metadata.name}`,
      );
    }
  }
  for (const d of deps) {
    const pdb = byKind(objects, 'PodDisruptionBudget').some((p) =>
      selects(
        (p.spec as { selector?: { matchLabels?: Record<string, string> } }).selector?.matchLabels,
        d.spec.template.metadata?.labels,
      ),
    );
    if (!pdb) out.push(`Deployment ${d.name}: no PodDisruptionBudget`);
  }
  return out;
};

export const RULES: Record<string, Rule> = {
  rollingUpdate,
  probes,
  resources,
  security,
  shutdown,
  zoneSpread,
  imageTags,
  serviceSelectors,
  references,
  networkPolicies,
  autoscaling,
};
