import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { DEPRECATED, documentedAs, LBC_VERSION } from './lbc-annotations';
import { REPO_DIR } from './render';
import type { Container, DeploymentSpec, K8sObject, ServiceSpec } from './types';

const A = 'service.beta.kubernetes.io/aws-load-balancer-';

function find(objects: K8sObject[], kind: string, name: string): K8sObject | undefined {
  return objects.find((o) => o.kind === kind && o.metadata.name === name);
}

/** The nginx container of Deployment nginx. */
export function nginxContainer(objects: K8sObject[]): Container | undefined {
  const spec = find(objects, 'Deployment', 'nginx')?.spec as DeploymentSpec | undefined;
  return spec?.template.spec.containers.find((c) => c.name === 'nginx');
}

/** nginx.conf as nginx/render.sh writes it from ConfigMap nginx-config (and nginx-canary). */
export function renderedNginx(objects: K8sObject[]): string {
  const env = {
    ...find(objects, 'ConfigMap', 'nginx-config')?.data,
    ...find(objects, 'ConfigMap', 'nginx-canary')?.data,
  };
  return execFileSync('sh', [path.join(REPO_DIR, 'nginx', 'render.sh')], {
    env: {
      PATH: process.env.PATH,
      NGINX_RUNTIME_DIR: os.tmpdir(),
      NGINX_TLS_CERT: '/run/tls/cert.pem',
      NGINX_TLS_KEY: '/run/tls/key.pem',
      ...env,
    },
    encoding: 'utf8',
  });
}

/** Each `server { … }` block of a rendered config with the ports it listens on. */
export function nginxServers(conf: string): { listens: string[]; body: string }[] {
  const blocks = conf.split(/\n {2}server \{\n/).slice(1);
  return blocks.map((body) => ({
    listens: [...body.matchAll(/^ {4}listen ([^;]+);/gm)].map((m) => m[1]),
    body,
  }));
}

/**
 * How the public entry point of an overlay meets the AWS Load Balancer Controller and
 * nginx: documented annotations only, an HTTPS listener with the overlay's certificate,
 * and every Service port led to a port nginx listens on in the mode it is given.
 */
export function edgeProblems(objects: K8sObject[], region: string | undefined): string[] {
  const out: string[] = [];
  const service = find(objects, 'Service', 'nginx');
  const container = nginxContainer(objects);
  if (!service || !container) return ['no Service and Deployment named nginx'];
  const annotations = service.metadata.annotations ?? {};
  for (const key of Object.keys(annotations).filter((k) =>
    k.startsWith('service.beta.kubernetes.io/'),
  )) {
    const name = documentedAs(key);
    if (!name) out.push(`${key} is not documented by the controller at ${LBC_VERSION}`);
    else if (DEPRECATED.includes(name)) out.push(`${key} is deprecated at ${LBC_VERSION}`);
  }
  const spec = service.spec as unknown as ServiceSpec & { loadBalancerClass?: string };
  const containerPort = (target: number | string | undefined) =>
    container.ports?.find((p) => p.name === target || p.containerPort === target)?.containerPort;
  const conf = renderedNginx(objects);
  const servers = nginxServers(conf);
  const policy = find(objects, 'NetworkPolicy', 'nginx')?.spec as
    | {
        ingress?: {
          from?: { ipBlock?: { cidr: string } }[];
          ports?: { port: string | number }[];
        }[];
      }
    | undefined;
  const fromAnywhere = (policy?.ingress ?? [])
    .filter((rule) => rule.from?.some((peer) => peer.ipBlock?.cidr === '0.0.0.0/0'))
    .flatMap((rule) => rule.ports ?? []);
  for (const port of spec.ports) {
    const target = containerPort(port.targetPort);
    const server = servers.find((s) => s.listens.some((l) => l.split(' ')[0] === String(target)));
    if (!server)
      out.push(`port ${port.port} leads to ${port.targetPort}, where nginx listens on nothing`);
    if (!fromAnywhere.some((p) => p.port === port.targetPort))
      out.push(`NetworkPolicy nginx does not admit port ${String(port.targetPort)} from anywhere`);
  }

  if (region === undefined) {
    if (conf.includes('return 301'))
      out.push('no load balancer certificate, yet nginx redirects to HTTPS');
    return out;
  }
  // An AWS environment: HTTPS on 443 with the ACM certificate of the overlay's region.
  if (spec.type !== 'LoadBalancer' || spec.loadBalancerClass !== 'service.k8s.aws/nlb')
    out.push('not a LoadBalancer Service of class service.k8s.aws/nlb');
  const expect = (key: string, value: string | RegExp) => {
    const got = annotations[A + key];
    const ok = typeof value === 'string' ? got === value : got !== undefined && value.test(got);
    if (!ok) out.push(`${A}${key} is ${got ?? 'unset'}, expected ${String(value)}`);
  };
  expect('type', 'external');
  expect('nlb-target-type', 'ip');
  expect('scheme', 'internet-facing');
  expect('ssl-cert', new RegExp(`^arn:aws:acm:${region}:\\d{12}:certificate/[0-9a-f-]{36}$`));
  expect('ssl-negotiation-policy', /^ELBSecurityPolicy-TLS13-1-2-/);
  expect('backend-protocol', 'tcp');
  expect('healthcheck-protocol', 'HTTP');
  expect('healthcheck-path', '/nginx-health');
  expect('healthcheck-port', 'traffic-port');
  const https = spec.ports.find((p) => p.port === 443);
  const http = spec.ports.find((p) => p.port === 80);
  if (!https || !http) return [...out, 'the Service needs ports 80 and 443'];
  const sslPorts = (annotations[`${A}ssl-ports`] ?? '').split(',').map((p) => p.trim());
  if (sslPorts.length !== 1 || ![https.name, '443'].includes(sslPorts[0]))
    out.push(`ssl-ports must name port 443 alone, got ${sslPorts.join(',')}`);
  // 443 reaches nginx decrypted: its server must be the application, in the clear.
  const app = servers.find((s) => s.listens.includes(String(containerPort(https.targetPort))));
  if (!app || !app.body.includes('proxy_pass')) out.push('port 443 does not reach the application');
  if (
    !/X-Forwarded-Proto \$tp_scheme;/.test(conf) ||
    !conf.includes(`${containerPort(https.targetPort)} https;`)
  )
    out.push('nginx does not treat the 443 target port as HTTPS');
  // 80 answers the health check and redirects everything else to https://<host>/.
  const plain = servers.find((s) => s.listens.includes(String(containerPort(http.targetPort))));
  if (
    !plain?.body.includes('return 301 https://$host$request_uri;') ||
    !plain.body.includes('location = /nginx-health')
  )
    out.push('port 80 must answer /nginx-health and redirect the rest to https://$host');
  return out;
}
