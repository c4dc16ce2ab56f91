import { readFileSync } from 'node:fs';
import path from 'node:path';
import { egressBlocks, separationProblems, within } from './support/network';
import { render, REPO_DIR } from './support/render';
import type { K8sObject } from './support/types';

/** The VPC both environments live in: envs/prod's vpc_cidr (envs/test places its resources there). */
function vpcCidr(): string {
  const variables = readFileSync(
    path.join(REPO_DIR, 'infra', 'terraform', 'envs', 'prod', 'variables.tf'),
    'utf8',
  );
  const cidr = /variable "vpc_cidr" \{[^}]*default\s*=\s*"([^"]+)"/.exec(variables)?.[1];
  if (!cidr) throw new Error('infra/terraform/envs/prod/variables.tf has no vpc_cidr default');
  return cidr;
}

const databaseOf = (objects: K8sObject[]) =>
  egressBlocks(objects.filter((o) => o.metadata.name === 'database-egress'))[0]?.cidr ?? '';

const prod = render('overlays/prod');
const test = render('overlays/test');

describe('the test namespace and the production database, kept apart by network', () => {
  it('when both overlays are rendered, then each reaches its own database subnets in the VPC, and nothing of the other', () => {
    const [prodDb, testDb] = [databaseOf(prod), databaseOf(test)];
    expect(within(prodDb, vpcCidr())).toBe(true);
    expect(within(testDb, vpcCidr())).toBe(true);
    expect(separationProblems('test', test, testDb, prodDb)).toEqual([]);
    expect(separationProblems('prod', prod, prodDb, testDb)).toEqual([]);
  });

  it('when only database clients may leave the namespace, then no other egress reaches an address', () => {
    for (const objects of [prod, test]) {
      const blocks = egressBlocks(objects);
      expect(blocks.map((b) => b.policy)).toEqual(['database-egress']);
      const policy = objects.find((o) => o.metadata.name === 'database-egress')!;
      expect((policy.spec as { podSelector: unknown }).podSelector).toEqual({
        matchLabels: { 'tradepost.io/database-client': 'true' },
      });
    }
  });

  it('when a policy lets test pods reach production, or the databases share subnets, then it is named', () => {
    const [prodDb, testDb] = [databaseOf(prod), databaseOf(test)];
    const leaky = structuredClone(test);
    const dns = leaky.find((o) => o.metadata.name === 'dns-egress')!;
    (dns.spec as { egress: unknown[] }).egress.push({
      to: [{ ipBlock: { cidr: '10.20.0.0/16' } }],
    });
    expect(separationProblems('test', leaky, testDb, prodDb)).toEqual([
      'test: NetworkPolicy dns-egress lets pods reach 10.20.0.0/16',
    ]);
    expect(separationProblems('test', test, prodDb, prodDb)).toContain(
      `test: its database ${prodDb} overlaps the other's ${prodDb}`,
    );
    const anyPort = structuredClone(test);
    const db = anyPort.find((o) => o.metadata.name === 'database-egress')!;
    delete (db.spec as { egress: { ports?: unknown }[] }).egress[0].ports;
    expect(separationProblems('test', anyPort, testDb, prodDb)).toEqual([
      'test: database egress must be TCP 3306 only',
    ]);
  });
});
