import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { MONITORING_DIR, PROMETHEUS_DIR, REPO_DIR } from './support/config';

interface Service {
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  networks?: string[];
}

const compose = parse(readFileSync(path.join(REPO_DIR, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service> };
const services = compose.services;
const prometheus = parse(readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as {
  scrape_configs: {
    job_name: string;
    static_configs?: { targets: string[] }[];
    dns_sd_configs?: { names: string[]; port: number }[];
  }[];
};
const grafana = (file: string) =>
  parse(readFileSync(path.join(MONITORING_DIR, 'grafana', 'provisioning', file), 'utf8')) as {
    datasources?: { url: string }[];
    providers?: { options: { path: string } }[];
  };

/** host:port each job scrapes. */
const targets = new Map(
  prometheus.scrape_configs.map((job) => [
    job.job_name,
    [
      ...(job.static_configs ?? []).flatMap((s) => s.targets),
      ...(job.dns_sd_configs ?? []).flatMap((d) => d.names.map((n) => `${n}:${d.port}`)),
    ],
  ]),
);
const shareNetwork = (a: string, b: string) =>
  (services[a]?.networks ?? []).some((n) => (services[b]?.networks ?? []).includes(n));
const flag = (service: string, name: string) =>
  (services[service]?.command ?? []).find((c) => c.startsWith(`--${name}=`))?.split('=')[1];

describe('the compose monitoring profile', () => {
  it('when Prometheus scrapes, then each target is a compose service on its listening port and a shared network', () => {
    expect(targets.get('backend')).toEqual([`backend:${services.backend?.environment?.PORT}`]);
    expect(targets.get('frontend')).toEqual([`frontend:${services.frontend?.environment?.PORT}`]);
    const exporterPort = flag('nginx-exporter', 'web.listen-address')?.replace(/^.*:/, '');
    expect(targets.get('nginx')).toEqual([`nginx-exporter:${exporterPort}`]);
    for (const target of ['backend', 'frontend', 'nginx-exporter']) {
      expect(shareNetwork('prometheus', target)).toBe(true);
    }
  });

  it("when the exporter reads stub_status, then it asks nginx's status port over a shared network", () => {
    const dockerfile = readFileSync(path.join(REPO_DIR, 'nginx', 'Dockerfile'), 'utf8');
    const statusPort =
      services.nginx?.environment?.NGINX_STATUS_PORT ??
      /NGINX_STATUS_PORT=(\d+)/.exec(dockerfile)?.[1];
    expect(flag('nginx-exporter', 'nginx.scrape-uri')).toBe(
      `http://nginx:${statusPort}/stub_status`,
    );
    expect(shareNetwork('nginx-exporter', 'nginx')).toBe(true);
  });

  it('when Grafana starts, then it reads the mounted dashboards through the Prometheus service', () => {
    expect(grafana('datasources/prometheus.yml').datasources?.[0]?.url).toBe(
      'http://prometheus:9090',
    );
    expect(shareNetwork('grafana', 'prometheus')).toBe(true);
    const dashboards = grafana('dashboards/tradepost.yml').providers?.[0]?.options.path;
    expect(services.grafana?.volumes).toContain(`./monitoring/grafana/dashboards:${dashboards}:ro`);
    expect(services.prometheus?.volumes).toContain('./monitoring/prometheus:/etc/prometheus:ro');
    for (const name of ['prometheus', 'grafana', 'nginx-exporter']) {
      expect(services[name]?.profiles).toEqual(['monitoring']);
    }
  });
});
