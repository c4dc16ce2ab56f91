import { deployerRules, rbacProblems, type PolicyRule } from './support/rbac';
import { render } from './support/render';
import type { K8sObject } from './support/types';

const cluster = render('cluster');
/** Namespaces are made before the first deploy (infra/terraform/envs/addons); deploy.sh leaves them out. */
const applied = (target: string) => render(target).filter((o) => o.kind !== 'Namespace');
const migrateJob = (objects: K8sObject[]) =>
  objects.filter((o) => o.kind === 'Job' && o.metadata.name === 'db-migrate');

/** What the pipeline applies and deletes in each namespace (the canary in production). */
const NAMESPACES = {
  tradepost: {
    applied: [...applied('overlays/prod'), ...applied('canary')],
    deleted: migrateJob(applied('overlays/prod')),
  },
  'tradepost-test': {
    applied: applied('overlays/test'),
    deleted: migrateJob(applied('overlays/test')),
  },
};

describe('the deploy role (group tradepost:deployer) in k8s/cluster', () => {
  it.each(Object.entries(NAMESPACES))(
    'when %s is rendered, then the role may apply every kind there, delete what the scripts delete, and nothing more',
    (namespace, { applied, deleted }) => {
      expect(rbacProblems(deployerRules(cluster, namespace), namespace, applied, deleted)).toEqual(
        [],
      );
    },
  );

  it('when the role lacks a kind an overlay applies, or grants more, then each is named', () => {
    const { applied, deleted } = NAMESPACES.tradepost;
    const rules = deployerRules(cluster, 'tradepost')!;
    const narrower = rules.filter((r) => !r.apiGroups.includes('external-secrets.io'));
    expect(rbacProblems(narrower, 'tradepost', applied, deleted)).toEqual(
      expect.arrayContaining([
        'tradepost: ExternalSecret/backend-secrets: external-secrets.io/externalsecrets lacks get, list, watch, create, patch',
        'tradepost: SecretStore/aws-secrets-manager: external-secrets.io/secretstores lacks get, list, watch, create, patch',
      ]),
    );
    const wider: PolicyRule[] = [
      ...rules,
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['*'], verbs: ['delete'] },
    ];
    expect(rbacProblems(wider, 'tradepost', applied, deleted)).toEqual([
      'tradepost: Role grants get on /secrets beyond what is applied',
      'tradepost: Role grants delete on apps/* beyond what is applied',
    ]);
    expect(rbacProblems(undefined, 'elsewhere', [], [])).toEqual([
      'elsewhere: no RoleBinding gives group tradepost:deployer a Role',
    ]);
  });

  it('when an overlay applies a kind the checker does not know, then it says so instead of passing', () => {
    const crd: K8sObject = {
      apiVersion: 'example.io/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'tradepost' },
    };
    expect(rbacProblems(deployerRules(cluster, 'tradepost'), 'tradepost', [crd], [])).toContain(
      'tradepost: Widget/w: unknown kind (add its resource to k8s/test/support/rbac.ts and the Role)',
    );
  });
});
