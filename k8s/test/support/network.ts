import type { K8sObject } from './types';

/** An IPv4 CIDR as [first, last] address numbers; throws on anything else. */
export function range(cidr: string): [number, number] {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = match?.slice(1, 5).map(Number) ?? [];
  const bits = Number(match?.[5]);
  if (!match || octets.some((o) => o > 255) || bits > 32) throw new Error(`not a CIDR: ${cidr}`);
  const base = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - bits);
  if (base % size !== 0) throw new Error(`${cidr} has host bits set`);
  return [base, base + size - 1];
}

export const within = (inner: string, outer: string) => {
  const [i0, i1] = range(inner);
  const [o0, o1] = range(outer);
  return o0 <= i0 && i1 <= o1;
};

interface Peer {
  ipBlock?: { cidr: string; except?: string[] };
}
interface EgressRule {
  to?: Peer[];
  ports?: { port?: number | string; protocol?: string }[];
}

/** Every address block a namespace's NetworkPolicies let pods send to, with the policy and ports. */
export function egressBlocks(objects: K8sObject[]) {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy')
    .flatMap((policy) =>
      ((policy.spec as { egress?: EgressRule[] }).egress ?? []).flatMap((rule) =>
        // A rule without `to` allows every destination.
        (rule.to ?? [{ ipBlock: { cidr: '0.0.0.0/0' } }]).flatMap((peer) =>
          peer.ipBlock
            ? [{ policy: policy.metadata.name, cidr: peer.ipBlock.cidr, ports: rule.ports ?? [] }]
            : [],
        ),
      ),
    );
}

/**
 * Where a namespace's pods may send beyond the cluster: anything but `database` (its
 * database subnets) is named, and the database must be TCP 3306 only.
 */
export function separationProblems(name: string, objects: K8sObject[], database: string): string[] {
  const out: string[] = [];
  for (const block of egressBlocks(objects)) {
    if (block.cidr !== database)
      out.push(`${name}: NetworkPolicy ${block.policy} lets pods reach ${block.cidr}`);
    else if (
      block.ports.length !== 1 ||
      block.ports[0].port !== 3306 ||
      (block.ports[0].protocol ?? 'TCP') !== 'TCP'
    )
      out.push(`${name}: database egress must be TCP 3306 only`);
  }
  return out;
}
