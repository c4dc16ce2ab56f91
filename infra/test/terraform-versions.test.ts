import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraform, type TfFile } from './lib/terraform-policy';

/**
 * The cluster and the databases stay on versions in AWS standard support: past it, EKS and
 * RDS bill extended support per hour, then upgrade on their own. The calendars below are
 * AWS's, copied with the date they were read; this test fails on the day a configured
 * version leaves standard support, and then the calendar must be read again and the
 * version moved (infra/README.md, "Versions").
 */
const REPO = join(__dirname, '..', '..');

// "Understand the Kubernetes version lifecycle on EKS", release calendar; read 2026-12-05.
const EKS_STANDARD_SUPPORT_ENDS: Record<string, string> = {
  '1.33': '2026-07-29',
  '1.34': '2026-12-02',
  '1.35': '2027-03-27',
};
// "MySQL on Amazon RDS versions", release calendar (RDS end of standard support); read 2026-12-05.
const RDS_MYSQL_STANDARD_SUPPORT_ENDS: Record<string, string> = {
  '8.0': '2026-07-31',
  '8.4': '2029-07-31',
};

function inStandardSupport(calendar: Record<string, string>, version: string, on: Date): boolean {
  const end = calendar[version];
  return end !== undefined && on < new Date(`${end}T00:00:00Z`);
}

let files: TfFile[] = [];
beforeAll(async () => {
  files = await loadTerraform(join(REPO, 'infra', 'terraform'));
});

function variableDefault(dir: string, name: string): string {
  for (const f of files.filter((x) => x.rel.startsWith(`${dir}/`))) {
    const vars = f.json.variable as Record<string, { default?: unknown }[]> | undefined;
    if (vars?.[name]) return String(vars[name][0].default);
  }
  throw new Error(`no variable ${name} in ${dir}`);
}

describe('Versions in standard support', () => {
  const today = new Date();

  it('when the cluster version is read, then EKS still gives it standard support today', () => {
    const version = variableDefault('envs/platform', 'kubernetes_version');
    expect({
      version,
      standard: inStandardSupport(EKS_STANDARD_SUPPORT_ENDS, version, today),
    }).toEqual({
      version,
      standard: true,
    });
  });

  it('when the MySQL version is read, then RDS still gives its major version standard support today', () => {
    const version = variableDefault('modules/database', 'engine_version');
    const major = version.split('.').slice(0, 2).join('.');
    expect(major).toBe('8.4');
    expect(inStandardSupport(RDS_MYSQL_STANDARD_SUPPORT_ENDS, major, today)).toBe(true);
    const validation = files
      .filter((f) => f.rel === 'modules/database/variables.tf')
      .map((f) => f.text)
      .join('');
    expect(validation).toContain('^8\\\\.4(\\\\.[0-9]+)?$');
  });

  it('when compose runs MySQL, then it is the major version RDS runs', () => {
    const compose = readFileSync(join(REPO, 'docker-compose.yml'), 'utf8');
    const majors = [...compose.matchAll(/image: mysql:(\d+\.\d+)/g)].map((m) => m[1]);
    expect(majors.length).toBeGreaterThan(0);
    expect(new Set(majors)).toEqual(
      new Set([variableDefault('modules/database', 'engine_version')]),
    );
  });

  it('when a version has left standard support or is not in the calendar, then the check refuses it', () => {
    const checkedOn = new Date('2026-12-05T00:00:00Z');
    expect(inStandardSupport(EKS_STANDARD_SUPPORT_ENDS, '1.32', checkedOn)).toBe(false);
    expect(inStandardSupport(EKS_STANDARD_SUPPORT_ENDS, '1.34', checkedOn)).toBe(false);
    expect(inStandardSupport(EKS_STANDARD_SUPPORT_ENDS, '1.35', checkedOn)).toBe(true);
    expect(inStandardSupport(RDS_MYSQL_STANDARD_SUPPORT_ENDS, '8.0', checkedOn)).toBe(false);
    expect(inStandardSupport(RDS_MYSQL_STANDARD_SUPPORT_ENDS, '8.4', checkedOn)).toBe(true);
  });
});
