/**
 * Runs a small playbook against localhost with the repository's roles, for checks that need
 * Ansible itself (templates rendered, tasks run) rather than reading YAML.
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';

export const ANSIBLE = join(__dirname, '..', '..', 'ansible');

/** The Debian packages are installed by .ci/run; without them the check must fail loudly. */
export function requireProgram(program: string, pkg: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `${program} not found: install the Debian package "${pkg}" (scripts/install-test-deps.sh)`,
    );
  }
}

export interface PlaybookResult {
  code: number;
  output: string;
}

/**
 * Writes `tasks` as a localhost play in `dir` (with the inventory's group_vars/all and the
 * given extra vars) and runs it.
 */
export async function runLocalPlay(
  dir: string,
  tasks: unknown[],
  vars: Record<string, unknown> = {},
): Promise<PlaybookResult> {
  requireProgram('ansible-playbook', 'ansible');
  const playbook = join(dir, 'play.yml');
  writeFileSync(
    playbook,
    stringify([
      {
        name: 'Check',
        hosts: 'localhost',
        connection: 'local',
        gather_facts: false,
        vars_files: [join(ANSIBLE, 'inventory', 'group_vars', 'all', 'main.yml')],
        tasks,
      },
    ]),
  );
  writeFileSync(join(dir, 'vars.json'), JSON.stringify(vars));
  try {
    const { stdout, stderr } = await promisify(execFile)(
      'ansible-playbook',
      ['-i', 'localhost,', '-e', `@${join(dir, 'vars.json')}`, playbook],
      {
        timeout: 90_000,
        env: {
          ...process.env,
          ANSIBLE_CONFIG: join(ANSIBLE, 'ansible.cfg'),
          ANSIBLE_ROLES_PATH: join(ANSIBLE, 'roles'),
          ANSIBLE_LOCALHOST_WARNING: 'false',
          ANSIBLE_NOCOLOR: 'true',
        },
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}
