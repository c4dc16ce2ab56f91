import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeNeeding } from '../../scripts/lib/test-deps';

const ANSIBLE = join(__dirname, '..', 'ansible');
const PLAYBOOKS = readdirSync(ANSIBLE).filter(
  (f) => f.endsWith('.yml') && f !== 'requirements.yml',
);
const run = promisify(execFile);

async function lint(dir: string, files: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('ansible-lint', ['--offline', '--nocolor', ...files], {
      cwd: dir,
      timeout: 100_000,
      env: { ...process.env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg') },
    });
    return { code: 0, output: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, output: err.stdout + err.stderr };
  }
}

describeNeeding(['ansible-playbook', 'ansible-lint'], 'Ansible', () => {
  it('when the playbooks are listed, then the controller, the build agent and site exist', () => {
    expect(PLAYBOOKS.sort()).toEqual(['build-agent.yml', 'jenkins.yml', 'site.yml']);
  });

  it.each(PLAYBOOKS)(
    'when %s is syntax-checked, then ansible-playbook accepts it',
    async (playbook) => {
      await expect(
        run('ansible-playbook', ['--syntax-check', '-i', 'inventory/vagrant.yml', playbook], {
          cwd: ANSIBLE,
          timeout: 60_000,
        }),
      ).resolves.toBeDefined();
    },
    70_000,
  );

  it('when every playbook is linted, then ansible-lint (production profile) passes', async () => {
    const { code, output } = await lint(ANSIBLE, PLAYBOOKS);
    expect(output).toMatch(/Passed with production profile/);
    expect(code).toBe(0);
  }, 110_000);

  it('when a copy has a non-idempotent command task, then ansible-lint fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ansible-'));
    try {
      cpSync(ANSIBLE, dir, { recursive: true });
      writeFileSync(
        join(dir, 'roles', 'base', 'tasks', 'extra.yml'),
        '---\n- name: Run something\n  command: /bin/true\n',
      );
      writeFileSync(
        join(dir, 'bad.yml'),
        '---\n- name: Bad\n  hosts: all\n  tasks:\n    - name: Include\n      ansible.builtin.include_tasks: roles/base/tasks/extra.yml\n',
      );
      const { code, output } = await lint(dir, ['bad.yml', 'roles/base/tasks/extra.yml']);
      expect(code).not.toBe(0);
      expect(output).toMatch(/no-changed-when|fqcn/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 110_000);
});
