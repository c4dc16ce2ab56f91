import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadTerraform, type TfFile } from './lib/terraform-policy';

/**
 * What the first apply and the first deploy need from the Terraform, read from the parsed
 * files: each check names the AWS documentation it follows and fails on the tree that
 * could not deploy (Performance Insights on classes without it, no API route for the
 * agent, no add-ons, no certificate, the test namespace reaching production data).
 */
const REPO = join(__dirname, '..', '..');
const TERRAFORM = join(REPO, 'infra', 'terraform');
type Obj = Record<string, unknown>;

let files: TfFile[] = [];
beforeAll(async () => {
  files = await loadTerraform(TERRAFORM);
});

function moduleCall(dir: string, name: string): Obj {
  for (const f of files.filter((x) => x.rel.startsWith(`${dir}/`))) {
    const calls = f.json.module as Record<string, Obj[]> | undefined;
    if (calls?.[name]) return calls[name][0];
  }
  throw new Error(`no module ${name} in ${dir}`);
}

function text(dir: string): string {
  return files
    .filter((f) => f.rel.startsWith(`${dir}/`) && !f.rel.includes('/tests/'))
    .map((f) => f.text)
    .join('\n');
}

function variableDefault(dir: string, name: string): unknown {
  for (const f of files.filter((x) => x.rel.startsWith(`${dir}/`))) {
    const vars = f.json.variable as Record<string, Obj[]> | undefined;
    if (vars?.[name]) return vars[name][0].default;
  }
  throw new Error(`no variable ${name} in ${dir}`);
}

describe('Performance Insights', () => {
  // "Amazon RDS DB engine, Region, and instance class support for Database Insights",
  // RDS for MySQL row, checked 2026-12-05.
  const DOCUMENTED = [
    'db.t2.micro',
    'db.t2.small',
    'db.t3.micro',
    'db.t3.small',
    'db.t4g.micro',
    'db.t4g.small',
  ];

  it('when the database module enables it, then only on classes AWS supports it on', () => {
    const rds = moduleCall('modules/database', 'rds');
    expect(rds.performance_insights_enabled).toBe('${local.performance_insights}');
    expect(text('modules/database')).toMatch(
      /performance_insights\s*=\s*!contains\(local\.classes_without_insights, var\.instance_class\)/,
    );
    const listed = /classes_without_insights = \[([^\]]*)\]/.exec(text('modules/database'))?.[1];
    expect(listed?.match(/db\.[a-z0-9.]+/g)?.sort()).toEqual(DOCUMENTED);
  });

  it('when the test database keeps its small default class, then that class is one without it', () => {
    expect(DOCUMENTED).toContain(variableDefault('envs/test', 'db_instance_class'));
  });
});

describe('Kubernetes API for the build agent', () => {
  it('when the cluster is built, then its endpoint security group admits 443 from the agent', () => {
    const cluster = moduleCall('envs/platform', 'cluster');
    expect(cluster.api_client_security_group_ids).toEqual({
      build_agent: '${local.foundation.build_agent_security_group_id}',
    });
    expect(text('modules/cluster')).toMatch(
      /for key, sg in var\.api_client_security_group_ids[\s\S]*?from_port\s*=\s*443[\s\S]*?source_security_group_id = sg/,
    );
    const eks = moduleCall('modules/cluster', 'eks');
    expect(eks.cluster_endpoint_private_access).toBe(true);
  });

  it('when the agent talks to the controller, then the controller admits 8080 from it and it may send there', () => {
    const jenkins = moduleCall('envs/prod', 'jenkins');
    expect(JSON.stringify(jenkins.ingress_from_security_groups)).toContain(
      'module.build_agent.security_group_id',
    );
    const agent = moduleCall('envs/prod', 'build_agent');
    expect(agent.role).toBe('build_agent');
    expect(JSON.stringify(agent.egress_to_security_groups)).toContain(
      'module.jenkins.security_group_id',
    );
  });
});

describe('Cluster add-ons', () => {
  it('when the cluster is created, then the VPC CNI enforces NetworkPolicies and gives pods their own security groups', () => {
    const addons = moduleCall('modules/cluster', 'eks').cluster_addons as Record<string, Obj>;
    expect(Object.keys(addons).sort()).toEqual([
      'coredns',
      'kube-proxy',
      'metrics-server',
      'vpc-cni',
    ]);
    expect(addons['vpc-cni'].configuration_values).toBe(
      '${jsonencode(local.vpc_cni_configuration)}',
    );
    const config = text('modules/cluster');
    expect(config).toMatch(/enableNetworkPolicy\s*=\s*"true"/);
    expect(config).toMatch(/ENABLE_POD_ENI\s*=\s*"true"/);
    expect(config).toMatch(/DISABLE_TCP_EARLY_DEMUX\s*=\s*"true"/);
  });

  it('when envs/addons is applied, then the load balancer controller, External Secrets and the Prometheus CRDs come from the pinned module', () => {
    const addons = moduleCall('envs/addons', 'addons');
    expect(addons.source).toBe('aws-ia/eks-blueprints-addons/aws');
    expect(addons.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(addons.enable_aws_load_balancer_controller).toBe(true);
    expect(addons.enable_external_secrets).toBe(true);
    const releases = addons.helm_releases as Record<string, Obj>;
    expect(releases['prometheus-operator-crds'].chart).toBe('prometheus-operator-crds');
    expect(text('envs/addons')).toMatch(/name = "vpcId", value = local\.platform\.vpc_id/);
  });

  it('when the overlays are read, then every API group and load balancer class they use has its add-on', () => {
    const used = new Set<string>();
    for (const env of ['prod', 'test']) {
      const kustomization = readFileSync(
        join(REPO, 'k8s/overlays', env, 'kustomization.yaml'),
        'utf8',
      );
      expect(kustomization).toMatch(/external-secrets|monitoring/);
    }
    for (const file of [
      'k8s/components/external-secrets/secretstore.yaml',
      'k8s/monitoring/podmonitors.yaml',
      'k8s/base/nginx/service.yaml',
    ]) {
      const body = readFileSync(join(REPO, file), 'utf8');
      for (const m of body.matchAll(/apiVersion: ([a-z.-]+)\//g)) used.add(m[1]);
      if (body.includes('service.k8s.aws/nlb')) used.add('service.k8s.aws/nlb');
    }
    const provider: Record<string, RegExp> = {
      'external-secrets.io': /enable_external_secrets\s*=\s*true/,
      'monitoring.coreos.com': /prometheus-operator-crds/,
      'service.k8s.aws/nlb': /enable_aws_load_balancer_controller\s*=\s*true/,
    };
    for (const group of used) {
      if (provider[group])
        expect({ group, installed: provider[group].test(text('envs/addons')) }).toEqual({
          group,
          installed: true,
        });
    }
    expect([...used]).toEqual(expect.arrayContaining(Object.keys(provider)));
  });
});

describe('HTTPS certificate', () => {
  it('when production is applied, then ACM issues a DNS-validated certificate for each environment’s host and outputs its ARN', () => {
    const certs = moduleCall('envs/prod', 'certificates');
    expect(certs.host_names).toEqual({
      app: '${var.app_host_name}',
      test_app: '${var.test_app_host_name}',
      webhook: '${var.webhook_host_name}',
    });
    expect(text('modules/certificate')).toMatch(/validation_method\s*=\s*"DNS"/);
    expect(text('envs/prod')).toMatch(
      /output "app_certificate_arn"[\s\S]*?module\.certificates\.arns\["app"\]/,
    );
    expect(text('envs/prod')).toMatch(
      /output "test_app_certificate_arn"[\s\S]*?module\.certificates\.arns\["test_app"\]/,
    );
    expect(moduleCall('envs/prod', 'webhook').certificate_arn).toBe(
      '${module.certificates.arns["webhook"]}',
    );
  });
});

describe('Test and production data kept apart by network', () => {
  const label = (
    parse(readFileSync(join(REPO, 'k8s/base/network/database-egress.yaml'), 'utf8')) as {
      spec: { podSelector: { matchLabels: Record<string, string> } };
    }
  ).spec.podSelector.matchLabels;

  it('when the production database is built, then it admits only the production namespace’s database clients', () => {
    expect(moduleCall('envs/platform', 'database').allowed_security_group_ids).toEqual([
      '${module.cluster.database_client_security_group_ids["tradepost"]}',
    ]);
  });

  it('when the test database is built, then it admits only the test namespace’s database clients and the build agent', () => {
    expect(moduleCall('envs/test', 'database').allowed_security_group_ids).toEqual([
      '${local.platform.database_client_security_group_ids["tradepost-test"]}',
      '${local.foundation.build_agent_security_group_id}',
    ]);
  });

  it('when pods are scheduled, then a SecurityGroupPolicy per namespace selects the database clients the NetworkPolicy names', () => {
    const addons = text('envs/addons');
    expect(addons).toContain('kind       = "SecurityGroupPolicy"');
    for (const [key, value] of Object.entries(label))
      expect(addons).toContain(`matchLabels = { "${key}" = "${value}" }`);
    expect(addons).toMatch(/groupIds = \[local\.platform\.database_client_security_group_ids\[/);
    for (const file of ['k8s/base/backend/deployment.yaml', 'k8s/base/migrate/job.yaml'])
      expect(readFileSync(join(REPO, file), 'utf8')).toContain(Object.keys(label)[0]);
  });

  it('when nodes are chosen, then their type supports security groups for pods (no t family)', () => {
    const types = variableDefault('envs/platform', 'node_instance_types') as string[];
    expect(types.length).toBeGreaterThan(0);
    for (const t of types) expect(t).not.toMatch(/^t\d/);
    expect(text('modules/cluster')).toMatch(/!can\(regex\("\^t\[0-9\]", t\)\)/);
  });
});
