import { readFileSync } from 'node:fs';
import path from 'node:path';
import { egressBlocks, separationProblems, within } from './support/network';
import { render, REPO_DIR } from './support/render';
import type { K8sObject } from './support/types';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['kubectl']);

/** The VPC both environments live in: envs/prod's vpc_cidr (envs/test places its database there). */
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

describe('what each namespace may reach: its database subnets on 3306, from its database clients only', () => {
  const overlays = { prod: render('overlays/prod'), test: render('overlays/test') };

  it.each(Object.entries(overlays))(
    'when %s is rendered, then the only address its pods may reach is the database port, inside the VPC',
    (name, objects) => {
      const database = databaseOf(objects);
      expect(within(database, vpcCidr())).toBe(true);
      expect(separationProblems(name, objects, database)).toEqual([]);
      const policy = objects.find((o) => o.metadata.name === 'database-egress')!;
      expect((policy.spec as { podSelector: unknown }).podSelector).toEqual({
        matchLabels: { 'tradepost.io/database-client': 'true' },
      });
    },
  );

  it('when a policy lets pods reach more, or the database egress any port, then it is named', () => {
    const database = databaseOf(overlays.test);
    const leaky = structuredClone(overlays.test);
    const dns = leaky.find((o) => o.metadata.name === 'dns-egress')!;
    (dns.spec as { egress: unknown[] }).egress.push({
      to: [{ ipBlock: { cidr: '10.20.0.0/16' } }],
    });
    expect(separationProblems('test', leaky, database)).toEqual([
      'test: NetworkPolicy dns-egress lets pods reach 10.20.0.0/16',
    ]);
    const anyPort = structuredClone(overlays.test);
    const db = anyPort.find((o) => o.metadata.name === 'database-egress')!;
    delete (db.spec as { egress: { ports?: unknown }[] }).egress[0].ports;
    expect(separationProblems('test', anyPort, database)).toEqual([
      'test: database egress must be TCP 3306 only',
    ]);
    expect(within('10.30.20.0/22', vpcCidr())).toBe(false);
  });
});
