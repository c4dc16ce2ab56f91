import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import {
  kubectlCalls,
  needsOf,
  rbacProblems,
  rulesOf,
  type Applied,
  type Need,
  type PolicyRule,
} from './lib/kubectl-rbac';
import { loadTerraform } from './lib/terraform-policy';
import { needing } from '../../scripts/lib/test-deps';

/**
 * The deploy role (group tradepost:deployer) is written once, in k8s/cluster, and Terraform
 * applies that YAML. It must allow exactly what scripts/ci asks of the API server in each app
 * namespace: every kubectl call in the scripts, with the overlays (and, in production, the
 * canary) as what `kubectl apply` is given.
 */
const REPO = join(__dirname, '..', '..');
const CI = join(REPO, 'scripts', 'ci');
const GROUP = 'tradepost:deployer';

interface K8sObject extends Applied {
  subjects?: { kind: string; name: string }[];
  roleRef?: { kind: string; name: string };
  rules?: PolicyRule[];
}

const render = (dir: string): K8sObject[] =>
  parseAllDocuments(execFileSync('kubectl', ['kustomize', join(REPO, dir)], { encoding: 'utf8' }))
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);

/** What the release applies: render() in scripts/ci/lib/common.sh leaves the Namespace out. */
const applied = (...dirs: string[]) => dirs.flatMap(render).filter((o) => o.kind !== 'Namespace');

const SCRIPTS = [
  ...readdirSync(CI)
    .filter((f) => f.endsWith('.sh'))
    .map((f) => `scripts/ci/${f}`),
  'scripts/ci/lib/common.sh',
];
const CALLS = SCRIPTS.flatMap((f) => kubectlCalls(f, readFileSync(join(REPO, f), 'utf8')));

function needsFor(objects: Applied[]): { needs: Need[]; problems: string[] } {
  const all = CALLS.map((c) => needsOf(c, objects));
  return { needs: all.flatMap((n) => n.needs), problems: all.flatMap((n) => n.problems) };
}

let rendered: { cluster: K8sObject[]; namespaces: Record<string, Applied[]> } | undefined;
/** k8s/cluster and what the release applies per namespace, rendered once, on first use. */
function renders(): NonNullable<typeof rendered> {
  rendered ??= {
    cluster: render('k8s/cluster'),
    namespaces: {
      tradepost: applied('k8s/overlays/prod', 'k8s/canary'),
      'tradepost-test': applied('k8s/overlays/test'),
    },
  };
  return rendered;
}

const describe = needing(['kubectl']);

describe('the deploy role against what scripts/ci does', () => {
  it('when the scripts are read, then their kubectl calls are found, quoted words and messages aside', () => {
    const commands = CALLS.map((c) => c.args.filter((a) => !a.startsWith('-')).slice(0, 3));
    expect(commands).toEqual(
      expect.arrayContaining([
        ['$ns', 'rollout', 'undo'],
        ['$ns', 'delete', 'job'],
        ['apply'],
        ['version'],
      ]),
    );
    expect(CALLS.map((c) => c.args[0])).not.toContain('cannot');
  });

  it.each(Object.entries(renders().namespaces))(
    'when %s is rendered, then the role there allows every request the scripts make and nothing more',
    (namespace, objects) => {
      expect(objects.map((o) => o.kind)).toEqual(
        expect.arrayContaining(['Deployment', 'ExternalSecret', 'PodMonitor', 'Job']),
      );
      for (const o of objects) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, namespace]);
      const { needs, problems } = needsFor(objects);
      expect(problems).toEqual([]);
      expect(rbacProblems(rulesOf(renders().cluster, namespace, GROUP) ?? [], needs)).toEqual([]);
    },
  );

  describe('when the role and the scripts disagree, then each difference is named', () => {
    const { needs } = needsFor(renders().namespaces.tradepost);
    const rules = rulesOf(renders().cluster, 'tradepost', GROUP)!;

    it('then a missing right names the script that needs it', () => {
      const narrower = rules.map((r) =>
        r.resources.includes('deployments')
          ? { ...r, verbs: r.verbs.filter((v) => v !== 'watch') }
          : r,
      );
      expect(rbacProblems(narrower, needs).join('\n')).toMatch(
        /the role refuses watch on apps\/deployments, needed by .*scripts\/ci\/rollout-wait\.sh:\d+ kubectl -n \$ns rollout status deployment\/\$deployment/,
      );
      const noReplicaSets = rules.filter((r) => !r.resources.includes('replicasets'));
      expect(rbacProblems(noReplicaSets, needs).join('\n')).toMatch(
        /the role refuses list on apps\/replicasets, needed by scripts\/ci\/rollback\.sh:\d+ kubectl -n \$ns rollout undo deployment\/\$1/,
      );
    });

    it('then a right no script uses is named, an update or a delete of every Job included', () => {
      const wider: PolicyRule[] = [
        ...rules,
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['update'] },
        { apiGroups: ['batch'], resources: ['jobs'], verbs: ['delete'] },
        { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
        { apiGroups: ['apps'], resources: ['*'], verbs: ['get'] },
      ];
      expect(rbacProblems(wider, needs)).toEqual([
        'the role grants update on apps/deployments, which no script does',
        'the role grants delete on batch/jobs for every name; the scripts only need db-migrate',
        'the role grants get on core/secrets, which no script does',
        'the role grants get on apps/*, which no script does',
      ]);
    });

    it('then a kubectl call or a kind the check does not know is reported, not skipped', () => {
      const [scale] = kubectlCalls(
        'x.sh',
        'kubectl -n "$ns" scale deployment/nginx --replicas=3\n',
      );
      expect(needsOf(scale, []).problems).toEqual([
        'x.sh:1 kubectl -n $ns scale deployment/nginx --replicas=3: unknown to this check (add what kubectl requests for it)',
      ]);
      const [apply] = kubectlCalls('y.sh', 'printf x | kubectl apply -f -\n');
      const widget = { apiVersion: 'example.io/v1', kind: 'Widget', metadata: { name: 'w' } };
      expect(needsOf(apply, [widget]).problems).toEqual([
        'y.sh:1 kubectl apply -f -: applies Widget/w, a kind this check does not know',
      ]);
    });
  });
});

describe('one source for the deploy role', () => {
  it('when Terraform is read, then envs/addons applies k8s/cluster and keeps no rules of its own', async () => {
    expect(existsSync(join(REPO, 'infra/terraform/envs/addons/deployer-rules.json'))).toBe(false);
    const files = await loadTerraform(join(REPO, 'infra', 'terraform'));
    const addons = files.filter((f) => f.rel.startsWith('envs/addons/'));
    const text = addons.map((f) => f.text).join('\n');
    expect(text).not.toMatch(/kubernetes_role_v1|kubernetes_role_binding_v1|deployer-rules/);
    const calls = Object.fromEntries(
      addons.flatMap((f) =>
        Object.entries((f.json.module ?? {}) as Record<string, { source: string; dir: string }[]>),
      ),
    );
    expect(calls.cluster_manifests).toEqual([
      expect.objectContaining({
        source: '../../modules/cluster-manifests',
        dir: '${local.k8s}/cluster',
      }),
    ]);
    expect(text).toMatch(
      /resource "kubernetes_manifest" "cluster" \{\s*for_each = module\.cluster_manifests\.objects\s*manifest = each\.value/,
    );
  });

  it('when the access entry is read, then it maps the deploy role to the group the RoleBindings name, with no EKS access policy', async () => {
    const files = await loadTerraform(join(REPO, 'infra', 'terraform'));
    const cluster = files.filter((f) => f.rel.startsWith('modules/cluster/'));
    const text = cluster.map((f) => f.text).join('\n');
    expect(text).not.toMatch(/AmazonEKS(Edit|Admin)Policy/);
    expect(text).toMatch(/kubernetes_groups\s*=\s*\[var\.deployer_kubernetes_group\]/);
    const prod = files.find((f) => f.rel === 'envs/prod/main.tf');
    expect(prod?.text).toContain(`deployer_kubernetes_group = "${GROUP}"`);
    const groups = renders()
      .cluster.filter((o) => o.kind === 'RoleBinding')
      .flatMap((o) => (o.subjects ?? []).map((s) => `${s.kind}/${s.name}`));
    expect(new Set(groups)).toEqual(new Set([`Group/${GROUP}`]));
  });

  it('when the namespaces are compared, then k8s/cluster binds the role in exactly the overlays’ namespaces', () => {
    const overlays = ['prod', 'test'].map(
      (env) => render(`k8s/overlays/${env}`).find((o) => o.kind === 'Namespace')!.metadata.name,
    );
    const bound = renders()
      .cluster.filter((o) => o.kind === 'RoleBinding')
      .map((o) => o.metadata.namespace);
    expect(bound.sort()).toEqual(overlays.sort());
    expect(Object.keys(renders().namespaces).sort()).toEqual(overlays.sort());
  });
});
