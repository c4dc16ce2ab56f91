import { edgeProblems, nginxContainer, renderedNginx } from './support/edge';
import { render } from './support/render';
import type { K8sObject } from './support/types';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['kubectl']);

const A = 'service.beta.kubernetes.io/aws-load-balancer-';

/** The overlay's AWS region (its SecretStore), or undefined where there is no AWS. */
const regionOf = (objects: K8sObject[]) =>
  (
    objects.find((o) => o.kind === 'SecretStore')?.spec as
      { provider: { aws: { region: string } } } | undefined
  )?.provider.aws.region;

/** A copy of the objects with the Service nginx changed by `change`. */
function withService(objects: K8sObject[], change: (service: K8sObject) => void): K8sObject[] {
  const copy = structuredClone(objects);
  change(copy.find((o) => o.kind === 'Service' && o.metadata.name === 'nginx')!);
  return copy;
}

describe('the public entry point (Service nginx and nginx behind it)', () => {
  it.each(['overlays/prod', 'overlays/test'])(
    'when %s is rendered, then the NLB listens for HTTPS on 443 with the overlay certificate, and 80 only redirects',
    (target) => {
      const objects = render(target);
      expect(regionOf(objects)).toBe('eu-west-1');
      expect(edgeProblems(objects, regionOf(objects))).toEqual([]);
      const data = objects.find(
        (o) => o.kind === 'ConfigMap' && o.metadata.name === 'nginx-config',
      )?.data;
      expect(data?.NGINX_TLS).toBe('offloaded');
      expect(nginxContainer(objects)?.ports?.find((p) => p.name === 'https')?.containerPort).toBe(
        Number(data?.NGINX_HTTPS_PORT),
      );
    },
  );

  it('when the local overlay is rendered, then nginx serves plain HTTP and the Service has no port that leads nowhere', () => {
    const objects = render('overlays/local');
    expect(regionOf(objects)).toBeUndefined();
    expect(edgeProblems(objects, undefined)).toEqual([]);
    expect(renderedNginx(objects)).not.toContain('return 301');
  });

  it('when the Service breaks the contract, then each defect is named', () => {
    const prod = render('overlays/prod');
    const broken = withService(prod, (service) => {
      const annotations = service.metadata.annotations!;
      delete annotations[`${A}ssl-cert`];
      annotations[`${A}cross-zone-load-balancing-enabled`] = 'true';
      annotations[`${A}healthcheck-pth`] = '/nginx-health';
      annotations[`${A}ssl-negotiation-policy`] = 'ELBSecurityPolicy-2016-08';
      annotations[`${A}ssl-ports`] = '*';
    });
    expect(edgeProblems(broken, 'eu-west-1')).toEqual(
      expect.arrayContaining([
        `${A}cross-zone-load-balancing-enabled is deprecated at v3.5.0`,
        `${A}healthcheck-pth is not documented by the controller at v3.5.0`,
        expect.stringMatching(/ssl-cert is unset/),
        expect.stringMatching(/ssl-negotiation-policy is ELBSecurityPolicy-2016-08/),
        'ssl-ports must name port 443 alone, got *',
      ]),
    );
    const otherRegion = edgeProblems(prod, 'us-east-1');
    expect(otherRegion).toEqual([expect.stringMatching(/ssl-cert is arn:aws:acm:eu-west-1:/)]);
  });

  it('when a Service port leads where nginx does not listen, or 80 stops redirecting, then it is reported', () => {
    const prod = render('overlays/prod');
    const noHttps = structuredClone(prod);
    const config = noHttps.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name === 'nginx-config',
    )!;
    config.data = { ...config.data, NGINX_TLS: 'off' };
    expect(edgeProblems(noHttps, 'eu-west-1')).toEqual(
      expect.arrayContaining([
        'port 443 leads to https, where nginx listens on nothing',
        'port 80 must answer /nginx-health and redirect the rest to https://$host',
      ]),
    );
    const closed = structuredClone(prod);
    const policy = closed.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'nginx')!;
    (policy.spec as { ingress: { ports: unknown[] }[] }).ingress[0].ports = [
      { port: 'http', protocol: 'TCP' },
    ];
    expect(edgeProblems(closed, 'eu-west-1')).toEqual([
      'NetworkPolicy nginx does not admit port https from anywhere',
    ]);
  });
});
