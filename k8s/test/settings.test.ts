import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { K8S_DIR } from './support/render';

interface Settings {
  metadata: { annotations?: Record<string, string> };
  data: Record<string, string>;
}

const read = (file: string) => readFileSync(path.join(K8S_DIR, file), 'utf8');
const settings = (env: string) => parse(read(`overlays/${env}/aws-settings.yaml`)) as Settings;
const replacements = parse(read('components/aws-settings/kustomization.yaml')) as {
  replacements: { source: { fieldPath: string } }[];
};

describe("each environment's AWS values, in one file per overlay", () => {
  it.each(['prod', 'test'])(
    'when %s is read, then every value has the shape AWS gives it, and the file is never applied',
    (env) => {
      const { metadata, data } = settings(env);
      expect(metadata.annotations?.['config.kubernetes.io/local-config']).toBe('true');
      expect(data.environment).toBe(env);
      expect(data.region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
      expect(data.external_secrets_role_arn).toMatch(
        new RegExp(`^arn:aws:iam::\\d{12}:role/tradepost-${env}-external-secrets$`),
      );
      expect(data.app_certificate_arn).toMatch(
        new RegExp(`^arn:aws:acm:${data.region}:\\d{12}:certificate/[0-9a-f-]{36}$`),
      );
      expect(data.database_cidr).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      expect(data.app_host_name).toMatch(/^([a-z0-9-]+\.)+[a-z]{2,}$/);
    },
  );

  it('when the component is read, then it copies every value, and nothing else', () => {
    // app_host_name goes into no object: scripts/ci/smoke-test.sh reads it.
    const used = [
      ...replacements.replacements.map((r) => r.source.fieldPath.replace(/^data\./, '')),
      'app_host_name',
    ];
    for (const env of ['prod', 'test'])
      expect(Object.keys(settings(env).data).sort()).toEqual(used.sort());
  });
});
