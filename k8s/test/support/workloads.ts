import type { Container, DeploymentSpec, K8sObject, PodTemplate } from './types';

export interface Workload {
  kind: string;
  name: string;
  template: PodTemplate;
}

/** Pod templates of every Deployment and Job (the only workload kinds Tradepost uses). */
export function workloads(objects: K8sObject[]): Workload[] {
  return objects.flatMap((o) => {
    if (o.kind === 'Deployment') {
      return [
        {
          kind: o.kind,
          name: o.metadata.name,
          template: (o.spec as unknown as DeploymentSpec).template,
        },
      ];
    }
    if (o.kind === 'Job') {
      return [
        {
          kind: o.kind,
          name: o.metadata.name,
          template: (o.spec as { template: PodTemplate }).template,
        },
      ];
    }
    return [];
  });
}

export function containersOf(w: Workload): Container[] {
  return [...(w.template.spec.initContainers ?? []), ...w.template.spec.containers];
}

export function deployments(
  objects: K8sObject[],
): { name: string; spec: DeploymentSpec; labels: Record<string, string> }[] {
  return objects
    .filter((o) => o.kind === 'Deployment')
    .map((o) => ({
      name: o.metadata.name,
      spec: o.spec as unknown as DeploymentSpec,
      labels: o.metadata.labels ?? {},
    }));
}

/** True when every matchLabels pair is present in labels (and the selector is not empty). */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([k, v]) => labels?.[k] === v);
}

export function byKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}
