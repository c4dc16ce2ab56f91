import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { loadRuleFiles, REPO_DIR } from './support/config';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['kubectl']);

interface Obj {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec: Record<string, unknown>;
}
interface Container {
  name: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
}

const render = (overlay: string): Obj[] =>
  parseAllDocuments(
    execFileSync('kubectl', ['kustomize', path.join(REPO_DIR, 'k8s', 'overlays', overlay)], {
      encoding: 'utf8',
    }),
  ).map((d) => d.toJS() as Obj);

describe('monitoring on Kubernetes (k8s/monitoring)', () => {
  it('when the PrometheusRule is read, then it holds exactly the rules promtool tests', () => {
    const manifest = parse(
      readFileSync(path.join(REPO_DIR, 'k8s', 'monitoring', 'prometheusrule.yaml'), 'utf8'),
    ) as { spec: { groups: unknown[] } };
    // Out of date? Run `node monitoring/build-prometheusrule.mjs`.
    expect(manifest.spec.groups).toEqual(loadRuleFiles().flatMap((f) => f.groups));
  });

  it.each(['test', 'prod'])(
    'when the %s overlay renders, then the three jobs are scraped and the exporter reads nginx over loopback',
    (overlay) => {
      const objects = render(overlay);
      const monitors = objects.filter((o) => o.kind === 'PodMonitor');
      expect(monitors.every((m) => m.spec.jobLabel === 'app.kubernetes.io/name')).toBe(true);
      const nginx = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'nginx');
      const pod = (nginx?.spec.template as { spec: { containers: Container[] } }).spec;
      const status = pod.containers
        .find((c) => c.name === 'nginx')
        ?.ports?.find((p) => p.name === 'status')?.containerPort;
      const exporter = pod.containers.find((c) => c.name === 'nginx-exporter');
      expect(exporter?.args).toContain(`--nginx.scrape-uri=http://127.0.0.1:${status}/stub_status`);
      const ports = new Map(
        objects
          .filter((o) => o.kind === 'Deployment')
          .map((d) => [
            d.metadata.name,
            (d.spec.template as { spec: { containers: Container[] } }).spec.containers.flatMap(
              (c) => (c.ports ?? []).map((p) => p.name),
            ),
          ]),
      );
      const scraped = monitors.flatMap((m) => {
        const selector = m.spec.selector as {
          matchLabels?: Record<string, string>;
          matchExpressions?: { values: string[] }[];
        };
        const names = [
          ...Object.values(selector.matchLabels ?? {}),
          ...(selector.matchExpressions ?? []).flatMap((e) => e.values),
        ];
        const endpoints = m.spec.podMetricsEndpoints as { port: string }[];
        return names.flatMap((name) =>
          endpoints.map((e) => {
            expect(ports.get(name)).toContain(e.port);
            return name;
          }),
        );
      });
      expect(scraped.sort()).toEqual(['backend', 'frontend', 'nginx']);
    },
  );
});
