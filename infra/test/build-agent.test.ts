import { execFile, execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { ANSIBLE, runLocalPlay } from './lib/ansible-run';
import { describeNeeding, itNeeding } from '../../scripts/lib/test-deps';

const ROOT = join(__dirname, '..', '..');
const ROLES = join(ANSIBLE, 'roles');
const TEST_DEPS = readFileSync(join(ROOT, 'scripts', 'test-deps.txt'), 'utf8');
const TEST_PACKAGES = new Set(
  TEST_DEPS.split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split(/\s+/)[1]),
);

interface Task {
  name: string;
  [module: string]: unknown;
}
const read = (path: string) => parse(readFileSync(path, 'utf8')) as unknown;
const roleTasks = (role: string) =>
  readdirSync(join(ROLES, role, 'tasks')).flatMap(
    (f) => read(join(ROLES, role, 'tasks', f)) as Task[],
  );
const roleDefaults = (role: string) =>
  read(join(ROLES, role, 'defaults', 'main.yml')) as Record<string, unknown>;
const AGENT_DEFAULTS = roleDefaults('build_agent');

/** The Debian packages a role installs with apt, its defaults' lists resolved. */
function aptPackages(role: string): string[] {
  const defaults = roleDefaults(role) ?? {};
  return roleTasks(role).flatMap((t) => {
    const apt = t['ansible.builtin.apt'] as { name?: string | string[] } | undefined;
    if (!apt?.name) return [];
    const names = Array.isArray(apt.name) ? apt.name : [apt.name];
    return names.flatMap((n) => {
      const ref = /^\{\{\s*(\w+)\s*\}\}$/.exec(n)?.[1];
      const value = ref ? defaults[ref] : n;
      return (Array.isArray(value) ? value : [value]).map((v) => String(v).split('=')[0]);
    });
  });
}

describe('Jenkins build agent', () => {
  it('when the agent play is read, then it is base, Docker and the build agent role', () => {
    const [play] = read(join(ANSIBLE, 'build-agent.yml')) as { hosts: string; roles: string[] }[];
    expect(play).toMatchObject({ hosts: 'build_agent', roles: ['base', 'docker', 'build_agent'] });
  });

  it('when the roles the agent plays are read, then no test tool is installed from a list of its own', () => {
    const duplicated = ['base', 'docker', 'build_agent'].flatMap((role) =>
      aptPackages(role)
        .filter((p) => TEST_PACKAGES.has(p))
        .map((p) => `${role}: ${p}`),
    );
    expect(duplicated).toEqual([]);
  });

  it('when the build agent role is read, then it installs the one list with the one installer, containers included', () => {
    const tasks = roleTasks('build_agent');
    const copy = tasks.find((t) => /list of test dependencies and its installer/.test(t.name))!;
    expect(copy['ansible.builtin.copy']).toMatchObject({
      src: '{{ build_agent_repo_root }}/scripts/{{ item.name }}',
    });
    expect((copy.loop as { name: string }[]).map((i) => i.name).sort()).toEqual([
      'install-test-deps.sh',
      'test-deps.txt',
    ]);
    const install = tasks.find((t) => /Install the test dependencies/.test(t.name))!;
    expect(JSON.stringify(install['ansible.builtin.command'])).toContain('/install-test-deps.sh');
    expect(AGENT_DEFAULTS.build_agent_test_deps_args).toEqual(['--containers']);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toMatch(
      /^scripts\/install-test-deps\.sh/m,
    );
  });

  it('when kubectl is installed, then it is the minor version the cluster runs (kubectl supports one minor of skew either way)', () => {
    const base = roleDefaults('base') as { base_kubectl_minor: string };
    const platform = readFileSync(
      join(ROOT, 'infra', 'terraform', 'envs', 'platform', 'variables.tf'),
      'utf8',
    );
    const cluster = /variable "kubernetes_version" \{[\s\S]*?default\s*=\s*"([^"]+)"/.exec(
      platform,
    )?.[1];
    expect(base.base_kubectl_minor).toBe(cluster);
  });

  describe('Terraform on the agent', () => {
    /**
     * HashiCorp's Linux package signing key, "HashiCorp Security (HashiCorp Package Signing)
     * <security+packaging@hashicorp.com>", key ID A621E701, in use since January 2023: the
     * fingerprint HashiCorp's install instructions tell users to compare (and
     * https://www.hashicorp.com/security lists).
     */
    const HASHICORP_KEY = '798AEC654E5C15428C8E42EEAA16FCBCA621E701';
    const tasks = read(join(ROLES, 'build_agent', 'tasks', 'terraform.yml')) as Task[];

    it('when the tasks are read, then the repository is trusted only with HashiCorp’s key, checked before it is added', () => {
      const key = tasks.findIndex((t) => t['ansible.builtin.include_role']);
      const repo = tasks.findIndex((t) => /HashiCorp repository/.test(t.name));
      expect(key).toBeGreaterThanOrEqual(0);
      expect(key).toBeLessThan(repo);
      expect(tasks[key]['ansible.builtin.include_role']).toEqual({
        name: 'base',
        tasks_from: 'apt-key.yml',
      });
      expect(tasks[key].vars).toMatchObject({
        apt_key_url: 'https://apt.releases.hashicorp.com/gpg',
        apt_key_fingerprint: '{{ build_agent_hashicorp_key_fingerprint }}',
      });
      expect(AGENT_DEFAULTS.build_agent_hashicorp_key_fingerprint).toBe(HASHICORP_KEY);
      expect((tasks[repo]['ansible.builtin.copy'] as { content: string }).content).toContain(
        'signed-by={{ build_agent_hashicorp_keyring }}] https://apt.releases.hashicorp.com',
      );
      expect(roleTasks('build_agent').map((t) => t['ansible.builtin.include_tasks'])).toContain(
        'terraform.yml',
      );
    });

    itNeeding(
      ['terraform'],
      'when the versions are read, then the agent runs the Terraform the tree is checked with and mirrors the provider the roots pin',
      () => {
        const local = /Terraform v(\d+\.\d+\.\d+)/.exec(
          execFileSync('terraform', ['version'], { encoding: 'utf8' }),
        )?.[1];
        expect(AGENT_DEFAULTS.build_agent_terraform_version).toBe(local);
        const pinned = readFileSync(
          join(ROOT, 'infra', 'terraform', 'envs', 'prod', 'versions.tf'),
          'utf8',
        ).match(/source\s*=\s*"hashicorp\/aws"\s*version\s*=\s*"([^"]+)"/)?.[1];
        expect(AGENT_DEFAULTS.build_agent_terraform_aws_provider).toBe(pinned);
      },
    );
  });

  it("when the build user is read, then it is not the controller's user and joins only the docker group", () => {
    expect(AGENT_DEFAULTS.build_agent_user).not.toBe('jenkins');
    expect(AGENT_DEFAULTS.build_agent_groups).toEqual(['docker']);
  });

  describe('install-test-deps.sh --check', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'test-deps-'));
      copyFileSync(
        join(ROOT, 'scripts', 'install-test-deps.sh'),
        join(dir, 'install-test-deps.sh'),
      );
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const check = async (list: string, ...args: string[]) => {
      writeFileSync(join(dir, 'test-deps.txt'), list);
      try {
        const { stdout } = await promisify(execFile)('bash', [
          join(dir, 'install-test-deps.sh'),
          '--check',
          ...args,
        ]);
        return { code: 0, stdout };
      } catch (e) {
        return e as { code: number; stdout: string };
      }
    };

    it('when a listed program is missing, then it names the package and exits 1 without installing', async () => {
      const result = await check(
        'sh  dash  test  x\nno-such-program-tp  tp-missing-pkg  test  x\n',
      );
      expect(result).toMatchObject({ code: 1, stdout: expect.stringContaining('tp-missing-pkg') });
    });

    it('when the only missing program is in the containers group, then only --containers reports it', async () => {
      const list = 'sh  dash  test  x\nno-such-program-tp  tp-missing-pkg  containers  x\n';
      expect(await check(list)).toMatchObject({ code: 0 });
      expect(await check(list, '--containers')).toMatchObject({ code: 1 });
    });

    it('when a program of the manual group is missing, then it is named with where to get it, and nothing is installed', async () => {
      const list = 'sh  dash  test  x\nno-such-program-tp  https://example.org/get  manual  x\n';
      expect(await check(list)).toMatchObject({ code: 0 });
      // Not as root and with no --check: an apt-get the script attempted would fail the run.
      const { stdout, stderr } = await promisify(execFile)('bash', [
        join(dir, 'install-test-deps.sh'),
      ]);
      expect(stdout).toContain('test dependencies: all present');
      expect(stderr).toContain(
        'not installed by this script: no-such-program-tp (get it from https://example.org/get)',
      );
    });
  });

  describeNeeding(['ansible-playbook'], "when the node's connection file is read", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'agent-secret-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));
    const SECRET = '0123456789abcdef'.repeat(4);
    const extract = (content: string) =>
      runLocalPlay(
        dir,
        [
          {
            name: 'Extract',
            'ansible.builtin.include_role': { name: 'build_agent', tasks_from: 'secret.yml' },
          },
          {
            name: 'Keep',
            'ansible.builtin.copy': {
              content: '{{ build_agent_secret }}',
              dest: join(dir, 'secret'),
              mode: '0600',
            },
          },
        ],
        { build_agent_jnlp: { content } },
      );

    it('then the secret is the first argument of the application', async () => {
      const { code, output } = await extract(
        `<jnlp codebase="http://c/"><application-desc main-class="hudson.remoting.jnlp.Main"><argument>${SECRET}</argument><argument>tradepost-agent</argument><argument>-webSocket</argument></application-desc></jnlp>`,
      );
      expect(output).toMatch(/failed=0/);
      expect(code).toBe(0);
      expect(readFileSync(join(dir, 'secret'), 'utf8')).toBe(SECRET);
    }, 100_000);

    it('then a file without a secret stops the run and says which node', async () => {
      const { code, output } = await extract('<html>Sign in</html>');
      expect(code).not.toBe(0);
      expect(output).toMatch(/connection file for tradepost-agent holds no secret/);
    }, 100_000);
  });

  itNeeding(
    ['ansible-playbook'],
    'when the agent service is rendered, then it runs as the build user over WebSocket with the secret read from its file',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'agent-unit-'));
      try {
        const out = join(dir, 'jenkins-agent.service');
        const { code, output } = await runLocalPlay(
          dir,
          [
            {
              name: 'Defaults',
              'ansible.builtin.include_vars': join(ROLES, 'build_agent', 'defaults', 'main.yml'),
            },
            {
              name: 'Render',
              'ansible.builtin.template': {
                src: join(ROLES, 'build_agent', 'templates', 'jenkins-agent.service.j2'),
                dest: out,
                mode: '0644',
              },
            },
          ],
          { build_agent_controller_url: 'http://10.0.1.5:8080/' },
        );
        expect(output).toMatch(/failed=0/);
        expect(code).toBe(0);
        const unit = readFileSync(out, 'utf8');
        expect(unit).toMatch(/^User=jenkins-agent$/m);
        expect(unit).toMatch(
          /^ExecStart=\/usr\/lib\/jvm\/java-21-openjdk-amd64\/bin\/java -jar \/opt\/jenkins-agent\/agent\.jar -url http:\/\/10\.0\.1\.5:8080\/ -name tradepost-agent -secret @\/etc\/jenkins-agent\/secret -webSocket /m,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    100_000,
  );
  describeNeeding(['ansible-playbook', 'visudo'], 'the container suite as root', () => {
    const tasks = roleTasks('build_agent');
    const launcher = tasks.find((t) => /container suite's launcher/.test(t.name))!;
    const rule = tasks.find((t) => /run that launcher as root/.test(t.name))!;
    let dir: string;
    let home: string;
    let rendered: string;
    let sudoers: string;

    /** The role's launcher and sudo rule, rendered with its defaults into `dir`. */
    const render = (content?: string) =>
      runLocalPlay(
        dir,
        [
          {
            name: 'Defaults',
            'ansible.builtin.include_vars': join(ROLES, 'build_agent', 'defaults', 'main.yml'),
          },
          {
            name: 'Launcher',
            'ansible.builtin.template': {
              src: join(ROLES, 'build_agent', 'templates', 'tradepost-container-suite.j2'),
              dest: rendered,
              mode: '0755',
            },
          },
          {
            name: 'Rule',
            'ansible.builtin.copy': {
              ...(rule['ansible.builtin.copy'] as Record<string, string>),
              ...(content ? { content } : {}),
              dest: sudoers,
              owner: undefined,
              group: undefined,
            },
          },
        ],
        { tradepost_build_agent_home: home },
      );

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'container-suite-'));
      home = join(dir, 'home');
      rendered = join(dir, 'tradepost-container-suite');
      sudoers = join(dir, 'sudoers');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('when the role is read, then the launcher is root’s and the sudo rule is visudo-checked and root-only', () => {
      expect(launcher['ansible.builtin.template']).toMatchObject({
        dest: '{{ build_agent_container_suite }}',
        owner: 'root',
        group: 'root',
        mode: '0755',
      });
      expect(rule['ansible.builtin.copy']).toMatchObject({
        dest: '{{ build_agent_sudoers_file }}',
        owner: 'root',
        group: 'root',
        mode: '0440',
        validate: 'visudo -cf %s',
      });
      expect(AGENT_DEFAULTS.build_agent_sudoers_file).toMatch(/^\/etc\/sudoers\.d\/[a-z-]+$/);
      // The pipeline calls exactly that command.
      const script = readFileSync(join(ROOT, 'scripts', 'ci', 'container-tests.sh'), 'utf8');
      expect(script).toMatch(
        new RegExp(`^exec sudo -n ${String(AGENT_DEFAULTS.build_agent_container_suite)}$`, 'm'),
      );
      // Its tools: the containers group of the one list, which the role installs.
      expect(AGENT_DEFAULTS.build_agent_test_deps_args).toContain('--containers');
    });

    it('when rendered, then the rule passes visudo and grants the build user that one command, without arguments, and nothing else', async () => {
      const { code, output } = await render();
      expect(output).toMatch(/failed=0/);
      expect(code).toBe(0);
      expect(readFileSync(sudoers, 'utf8')).toBe(
        'jenkins-agent ALL=(root) NOPASSWD: /usr/local/sbin/tradepost-container-suite ""\n',
      );
    }, 100_000);

    it('when a broken rule is rendered, then visudo stops the run', async () => {
      const { code, output } = await render('jenkins-agent ALL=(root) NOPASSWD /bin/true\n');
      expect(code).not.toBe(0);
      expect(output).toMatch(/failed validation|syntax error/i);
    }, 100_000);

    describe('when the launcher runs', () => {
      const workspace = () => join(home, 'workspace', 'tradepost-release_main');
      const run = async (cwd: string, args: string[] = []) => {
        try {
          const { stdout, stderr } = await promisify(execFile)(rendered, args, {
            cwd,
            env: { ...process.env, LEAKED_SECRET: 'x', PATH: `${dir}/evil:${process.env.PATH}` },
          });
          return { code: 0, stdout, stderr };
        } catch (e) {
          const err = e as { code: number; stdout: string; stderr: string };
          return { code: err.code, stdout: err.stdout, stderr: err.stderr };
        }
      };
      const stub = (exit = 0) => {
        execFileSync('mkdir', ['-p', join(workspace(), 'containers'), join(dir, 'elsewhere')]);
        writeFileSync(
          join(workspace(), 'containers', 'run.sh'),
          `#!/bin/sh\nenv > "$(pwd)/suite.env"\necho "$#" > "$(pwd)/suite.args"\nexit ${exit}\n`,
          { mode: 0o755 },
        );
      };
      beforeAll(async () => {
        const { code, output } = await render();
        if (code !== 0) throw new Error(output);
      }, 100_000);
      beforeEach(() => rmSync(join(home, 'workspace'), { recursive: true, force: true }));

      it('then from a workspace it runs that checkout’s suite in a clean environment and gives the workspace back to its owner', async () => {
        stub();
        // As root (as CI runs), the workspace belongs to another user, as on the agent.
        const owner = process.getuid?.() === 0 ? 4242 : process.getuid!();
        execFileSync('chown', ['-R', `${owner}:${owner}`, workspace()]);
        const { code, stderr } = await run(workspace());
        expect(stderr).toBe('');
        expect(code).toBe(0);
        const env = readFileSync(join(workspace(), 'suite.env'), 'utf8');
        expect(env).not.toMatch(/LEAKED_SECRET|evil/);
        expect(env).toMatch(
          /^PATH=\/usr\/local\/sbin:\/usr\/local\/bin:\/usr\/sbin:\/usr\/bin:\/sbin:\/bin$/m,
        );
        expect(readFileSync(join(workspace(), 'suite.args'), 'utf8').trim()).toBe('0');
        expect(statSync(join(workspace(), 'suite.env')).uid).toBe(owner);
      });

      it('then the suite’s exit code is the launcher’s', async () => {
        stub(3);
        expect((await run(workspace())).code).toBe(3);
      });

      it.each([
        ['outside the workspaces', () => join(dir, 'elsewhere'), []],
        ['in the workspace folder itself', () => join(home, 'workspace'), []],
        ['with an argument', workspace, ['--clean']],
      ])('then %s it refuses and runs nothing', async (_name, cwd, args) => {
        stub();
        const { code, stderr } = await run(cwd(), args as string[]);
        expect(code).toBe(2);
        expect(stderr).toMatch(/tradepost-container-suite/);
        expect(() => statSync(join(workspace(), 'suite.env'))).toThrow();
      });
    });
  });
});
