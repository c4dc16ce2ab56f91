import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadTerraform, type TfFile } from './lib/terraform-policy';

/**
 * Every argument given to a registry module must be one of that module's variables at the
 * pinned version: Terraform rejects an unknown argument only at init, which needs the module
 * downloaded. The names come from infra/test/fixtures/module-variables.json, recorded from
 * each module's repository at its tag by infra/terraform/scripts/record-module-variables.mjs
 * (run it after changing a version; see infra/README.md).
 */
const TERRAFORM = join(__dirname, '..', 'terraform');
const RECORDED = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'module-variables.json'), 'utf8'),
) as Record<string, string[]>;
const META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);

interface Call {
  file: string;
  name: string;
  key: string;
  args: string[];
}

function registryCalls(files: TfFile[]): Call[] {
  return files.flatMap((f) => {
    const modules = f.json.module as Record<string, Record<string, unknown>[]> | undefined;
    return Object.entries(modules ?? {}).flatMap(([name, blocks]) =>
      blocks
        .filter((b) => typeof b.source === 'string' && !b.source.startsWith('.'))
        .map((b) => ({
          file: f.rel,
          name,
          key: `${String(b.source)}@${String(b.version)}`,
          args: Object.keys(b).filter((k) => !META.has(k)),
        })),
    );
  });
}

/** Arguments that are not variables of the module at its pinned version. */
function unknownArguments(calls: Call[]): string[] {
  return calls.flatMap((c) => {
    const known = RECORDED[c.key];
    if (!known) return [`${c.file} module ${c.name}: ${c.key} is not recorded`];
    return c.args.filter((a) => !known.includes(a)).map((a) => `${c.file} module ${c.name}: ${a}`);
  });
}

describe('Registry module inputs', () => {
  it('when every registry module call is compared with its recorded variables, then each argument exists', async () => {
    const calls = registryCalls(await loadTerraform(TERRAFORM));
    expect(calls.length).toBeGreaterThanOrEqual(8);
    expect(unknownArguments(calls)).toEqual([]);
  });

  it('when the record is read, then it holds only modules the Terraform still calls', async () => {
    const used = new Set(registryCalls(await loadTerraform(TERRAFORM)).map((c) => c.key));
    expect(Object.keys(RECORDED).filter((k) => !used.has(k))).toEqual([]);
  });

  it('when a call misspells an input or uses an unrecorded version, then the check names it', () => {
    const eks = 'terraform-aws-modules/eks/aws@20.37.2';
    expect(
      unknownArguments([
        { file: 'x.tf', name: 'eks', key: eks, args: ['cluster_name', 'cluster_addon'] },
        { file: 'x.tf', name: 'eks', key: 'terraform-aws-modules/eks/aws@21.0.0', args: [] },
      ]),
    ).toEqual([
      'x.tf module eks: cluster_addon',
      'x.tf module eks: terraform-aws-modules/eks/aws@21.0.0 is not recorded',
    ]);
  });
});
