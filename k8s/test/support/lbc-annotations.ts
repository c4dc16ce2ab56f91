/**
 * The Service annotations the AWS Load Balancer Controller documents, as listed in
 * docs/guide/service/annotations.md of kubernetes-sigs/aws-load-balancer-controller at
 * tag v3.5.0 (also present, with the same meaning, at v2.17.1). `${…}` parts are
 * placeholders for a protocol and port. Refresh from a clone:
 *   git show <tag>:docs/guide/service/annotations.md |
 *     grep -o '^| \[service\.beta\.kubernetes\.io/[^]]*\]' | sed 's/^| \[//; s/\] *$//' | sort -u
 */
export const LBC_VERSION = 'v3.5.0';

export const DOCUMENTED = [
  'service.beta.kubernetes.io/actions.${protocol}-${port}',
  'service.beta.kubernetes.io/aws-load-balancer-access-log-enabled',
  'service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-name',
  'service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-prefix',
  'service.beta.kubernetes.io/aws-load-balancer-additional-resource-tags',
  'service.beta.kubernetes.io/aws-load-balancer-alpn-policy',
  'service.beta.kubernetes.io/aws-load-balancer-attributes',
  'service.beta.kubernetes.io/aws-load-balancer-backend-protocol',
  'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled',
  'service.beta.kubernetes.io/aws-load-balancer-disable-nlb-sg',
  'service.beta.kubernetes.io/aws-load-balancer-eip-allocations',
  'service.beta.kubernetes.io/aws-load-balancer-enable-icmp-for-path-mtu-discovery',
  'service.beta.kubernetes.io/aws-load-balancer-enable-prefix-for-ipv6-source-nat',
  'service.beta.kubernetes.io/aws-load-balancer-enable-tcp-udp-listener',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-healthy-threshold',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-interval',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-path',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-port',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-protocol',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-success-codes',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-timeout',
  'service.beta.kubernetes.io/aws-load-balancer-healthcheck-unhealthy-threshold',
  'service.beta.kubernetes.io/aws-load-balancer-inbound-sg-rules-on-private-link-traffic',
  'service.beta.kubernetes.io/aws-load-balancer-internal',
  'service.beta.kubernetes.io/aws-load-balancer-ip-address-type',
  'service.beta.kubernetes.io/aws-load-balancer-ipv6-addresses',
  'service.beta.kubernetes.io/aws-load-balancer-listener-attributes.${Protocol}-${Port}',
  'service.beta.kubernetes.io/aws-load-balancer-manage-backend-security-group-rules',
  'service.beta.kubernetes.io/aws-load-balancer-minimum-load-balancer-capacity',
  'service.beta.kubernetes.io/aws-load-balancer-multi-cluster-target-group',
  'service.beta.kubernetes.io/aws-load-balancer-name',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type',
  'service.beta.kubernetes.io/aws-load-balancer-private-ipv4-addresses',
  'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol',
  'service.beta.kubernetes.io/aws-load-balancer-proxy-protocol-per-target-group',
  'service.beta.kubernetes.io/aws-load-balancer-quic-enabled-ports',
  'service.beta.kubernetes.io/aws-load-balancer-scheme',
  'service.beta.kubernetes.io/aws-load-balancer-security-group-prefix-lists',
  'service.beta.kubernetes.io/aws-load-balancer-security-groups',
  'service.beta.kubernetes.io/aws-load-balancer-source-nat-ipv6-prefixes',
  'service.beta.kubernetes.io/aws-load-balancer-ssl-cert',
  'service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy',
  'service.beta.kubernetes.io/aws-load-balancer-ssl-ports',
  'service.beta.kubernetes.io/aws-load-balancer-subnets',
  'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes',
  'service.beta.kubernetes.io/aws-load-balancer-target-node-labels',
  'service.beta.kubernetes.io/aws-load-balancer-type',
  'service.beta.kubernetes.io/load-balancer-source-ranges',
];

/** Documented, but deprecated at that tag (in favour of aws-load-balancer-attributes or -scheme). */
export const DEPRECATED = [
  'service.beta.kubernetes.io/aws-load-balancer-access-log-enabled',
  'service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-name',
  'service.beta.kubernetes.io/aws-load-balancer-access-log-s3-bucket-prefix',
  'service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled',
  'service.beta.kubernetes.io/aws-load-balancer-internal',
];

/** The documented annotation a key is an instance of (placeholders matched), or undefined. */
export function documentedAs(key: string): string | undefined {
  return DOCUMENTED.find((name) => {
    const pattern = name
      .split(/\$\{[A-Za-z]+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[A-Za-z0-9]+');
    return new RegExp(`^${pattern}$`).test(key);
  });
}
