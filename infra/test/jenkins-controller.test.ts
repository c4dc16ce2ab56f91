import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ANSIBLE, runLocalPlay } from './lib/ansible-run';
import { matchBraces } from './lib/groovy-blocks';
import { describeNeeding } from '../../scripts/lib/test-deps';

const ROLE = join(ANSIBLE, 'roles', 'jenkins');
const DEFAULTS = parse(readFileSync(join(ROLE, 'defaults', 'main.yml'), 'utf8')) as Record<
  string,
  string
>;
const GROUP_VARS = parse(
  readFileSync(join(ANSIBLE, 'inventory', 'group_vars', 'all', 'main.yml'), 'utf8'),
) as Record<string, string>;
const TEMPLATE = readFileSync(join(ROLE, 'templates', 'jenkins.yaml.j2'), 'utf8');

interface Task {
  name: string;
  [module: string]: unknown;
}
const tasks = (file: string) => parse(readFileSync(join(ROLE, 'tasks', file), 'utf8')) as Task[];

/**
 * The repository's signing key as published by the Jenkins project: jenkins-infra/release
 * (profile.d/stable GPG_KEYNAME, env/package.mk GPG_PUBLIC_KEY_FILENAME; switched from the
 * 2023 key on 2025-12-22) and jenkinsci/packaging (the key file's name is what publish.sh puts
 * next to the repository).
 */
const JENKINS_KEY = {
  name: 'jenkins.io-2026.key',
  fingerprint: '5E386EADB55F01504CAE8BCF7198F4B714ABFC68',
};

/**
 * Jenkins LTS lines: when each line's first release came out (a line is supported until the
 * next one's) and the Java versions its last release runs on (SUPPORTED_JAVA_VERSIONS in
 * war/src/main/java/executable/Main.java), read at the release tags of jenkinsci/jenkins,
 * whose newest tags were jenkins-2.568.2 (2026-08-03) and jenkins-2.568.3-rc.
 */
const LTS_LINES = [
  { line: '2.504', first: '2025-04-30', last: '2.504.3', java: [17, 21] },
  { line: '2.516', first: '2025-07-23', last: '2.516.3', java: [17, 21] },
  { line: '2.528', first: '2025-10-15', last: '2.528.3', java: [17, 21] },
  { line: '2.541', first: '2026-01-21', last: '2.541.3', java: [17, 21, 25] },
  { line: '2.555', first: '2026-04-15', last: '2.555.3', java: [21, 25] },
  { line: '2.568', first: '2026-07-09', last: '2.568.2', java: [21, 25] },
];

describe('Jenkins controller role', () => {
  describe('the Jenkins release and its Java', () => {
    const AGENT = parse(
      readFileSync(join(ANSIBLE, 'roles', 'build_agent', 'defaults', 'main.yml'), 'utf8'),
    ) as Record<string, string>;
    const major = (pkg: string) => Number(/^openjdk-(\d+)-jre-headless$/.exec(pkg)?.[1]);

    it('when the pin is read, then it is the newest release of the newest LTS line known', () => {
      expect(DEFAULTS.jenkins_version).toBe(LTS_LINES[LTS_LINES.length - 1].last);
    });

    it('when the controller and the agent are read, then both run a Java the release supports, the same one', () => {
      const { java } = LTS_LINES.find((l) => DEFAULTS.jenkins_version.startsWith(`${l.line}.`))!;
      expect(java).toContain(major(DEFAULTS.jenkins_java_package));
      expect(major(AGENT.build_agent_java_package)).toBe(major(DEFAULTS.jenkins_java_package));
      expect(DEFAULTS.jenkins_java_home).toBe(
        `/usr/lib/jvm/java-${major(DEFAULTS.jenkins_java_package)}-openjdk-amd64`,
      );
      expect(AGENT.build_agent_java).toBe(`${DEFAULTS.jenkins_java_home}/bin/java`);
      expect(readFileSync(join(ROLE, 'templates', 'override.conf.j2'), 'utf8')).toContain(
        'Environment="JAVA_HOME={{ jenkins_java_home }}"',
      );
    });

    it('when the CI hosts are read, then they run Debian 13, which ships OpenJDK 21 (Debian 12 has 17 only)', () => {
      const host = readFileSync(
        join(ANSIBLE, '..', 'terraform', 'modules', 'ci-host', 'main.tf'),
        'utf8',
      );
      expect(host).toContain('name = "/aws/service/debian/release/13/latest/amd64"');
      expect(host).toMatch(/ignore_ami_changes = true/);
      expect(readFileSync(join(ANSIBLE, '..', 'Vagrantfile'), 'utf8')).toContain(
        'config.vm.box = "debian/trixie64"',
      );
    });
  });

  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'jenkins-role-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('the package signing key', () => {
    it('when the defaults are read, then the role trusts the 2026 key by name and fingerprint', () => {
      expect({
        name: DEFAULTS.jenkins_apt_key_name,
        fingerprint: DEFAULTS.jenkins_apt_key_fingerprint,
      }).toEqual(JENKINS_KEY);
      expect(DEFAULTS.jenkins_apt_keyring).toMatch(/\.asc$/);
    });

    it('when the tasks are read, then the key is verified before the repository that uses it is added', () => {
      const names = tasks('main.yml').map((t) => t.name);
      const key = names.indexOf('Add the Jenkins signing key');
      const repo = names.indexOf('Add the Jenkins LTS repository');
      expect(key).toBeGreaterThanOrEqual(0);
      expect(key).toBeLessThan(repo);
      const include = tasks('apt-key.yml').find((t) => t['ansible.builtin.include_role'])!;
      expect(include['ansible.builtin.include_role']).toEqual({
        name: 'base',
        tasks_from: 'apt-key.yml',
      });
      expect(include.vars).toEqual({
        apt_key_url: '{{ jenkins_apt_repository }}/{{ jenkins_apt_key_name }}',
        apt_key_file: '{{ jenkins_apt_keyring }}',
        apt_key_fingerprint: '{{ jenkins_apt_key_fingerprint }}',
      });
      const base = parse(
        readFileSync(join(ANSIBLE, 'roles', 'base', 'tasks', 'apt-key.yml'), 'utf8'),
      ) as Task[];
      expect(base.map((t) => t['ansible.builtin.include_tasks']).filter(Boolean)).toEqual([
        'apt-key-verify.yml',
      ]);
      const source = tasks('main.yml')[repo]['ansible.builtin.copy'] as { content: string };
      expect(source.content).toContain('signed-by={{ jenkins_apt_keyring }}');
    });

    describeNeeding(['gpg', 'ansible-playbook'], 'when a downloaded key is verified', () => {
      let key: string;
      let fingerprint: string;
      beforeEach(() => {
        const home = join(dir, 'gnupg');
        const gpg = (...args: string[]) =>
          execFileSync('gpg', ['--batch', '--homedir', home, ...args], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'pipe'],
          });
        execFileSync('mkdir', ['-m', '700', home]);
        gpg(
          '--passphrase',
          '',
          '--quick-gen-key',
          'Test <t@example.invalid>',
          'ed25519',
          'sign',
          '1d',
        );
        fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg('--with-colons', '--list-keys'))![1];
        key = join(dir, 'key.asc');
        writeFileSync(key, gpg('--armor', '--export'));
      });
      const verify = (expected: string) =>
        runLocalPlay(
          dir,
          [
            {
              name: 'Verify',
              'ansible.builtin.include_role': { name: 'base', tasks_from: 'apt-key-verify.yml' },
            },
          ],
          { apt_key_file: key, apt_key_fingerprint: expected, apt_key_url: 'https://keys.test/k' },
        );

      it('then the pinned fingerprint passes and the key stays', async () => {
        const { code, output } = await verify(fingerprint);
        expect(output).toMatch(/failed=0/);
        expect(code).toBe(0);
        expect(existsSync(key)).toBe(true);
      }, 100_000);

      it('then another fingerprint stops the run and deletes the key', async () => {
        const { code, output } = await verify(JENKINS_KEY.fingerprint);
        expect(code).not.toBe(0);
        expect(output).toContain(`has fingerprint ${fingerprint}`);
        expect(existsSync(key)).toBe(false);
      }, 100_000);
    });
  });

  describeNeeding(['ansible-playbook'], 'the configuration as code', () => {
    const render = async (vars: Record<string, unknown>) => {
      const out = join(dir, 'jenkins.yaml');
      const { code, output } = await runLocalPlay(
        dir,
        [
          { name: 'Defaults', 'ansible.builtin.include_vars': join(ROLE, 'defaults', 'main.yml') },
          {
            name: 'Render',
            'ansible.builtin.template': {
              src: join(ROLE, 'templates', 'jenkins.yaml.j2'),
              dest: out,
              mode: '0600',
            },
          },
        ],
        { jenkins_github_owner: 'acme', ...vars },
      );
      if (code !== 0) throw new Error(output);
      return parse(readFileSync(out, 'utf8')) as CasC;
    };
    const ARN = 'arn:aws:iam::111122223333:role/tradepost-prod-deployer';

    it('when rendered for AWS, then the controller runs no builds and hands them to the build agent over WebSocket', async () => {
      const casc = await render({ tradepost_tf_prod: { deployer_role_arn: { value: ARN } } });
      expect(casc.jenkins.numExecutors).toBe(0);
      expect(casc.jenkins.nodes).toEqual([
        {
          permanent: expect.objectContaining({
            name: GROUP_VARS.tradepost_build_agent_name,
            labelString: GROUP_VARS.tradepost_build_agent_label,
            mode: 'EXCLUSIVE',
            remoteFS: GROUP_VARS.tradepost_build_agent_home,
            launcher: { inbound: { webSocket: true } },
          }),
        },
      ]);
    }, 100_000);

    it('when rendered for AWS, then webhooks must carry a valid signature', async () => {
      const casc = await render({ tradepost_tf_prod: { deployer_role_arn: { value: ARN } } });
      const credentials = casc.credentials.system.domainCredentials[0].credentials;
      const hook = casc.unclassified.gitHubPluginConfig.hookSecretConfigs;
      expect(hook).toEqual([
        { credentialsId: 'github-webhook-secret', signatureAlgorithm: 'SHA256' },
      ]);
      expect(credentials.find((c) => c.string?.id === 'github-webhook-secret')?.string).toEqual(
        expect.objectContaining({ scope: 'SYSTEM', secret: '${GITHUB_WEBHOOK_SECRET}' }),
      );
    }, 100_000);

    describe('deploy rights', () => {
      let casc: CasC;
      let jobs: Map<string, string>;
      beforeAll(async () => {
        const tmp = mkdtempSync(join(tmpdir(), 'jenkins-jobs-'));
        dir = tmp;
        casc = await render({ tradepost_tf_prod: { deployer_role_arn: { value: ARN } } });
        jobs = multibranchJobs(casc.jobs.map((j) => j.script).join('\n'));
        rmSync(tmp, { recursive: true, force: true });
      }, 100_000);
      const release = () => jobs.get(DEFAULTS.jenkins_release_job_name)!;
      const branches = () => jobs.get(DEFAULTS.jenkins_job_name)!;

      it('when rendered for AWS, then the system store, which every job sees, holds no deploy credential', () => {
        const credentials = casc.credentials.system.domainCredentials[0].credentials;
        expect(credentials.filter((c) => c.aws)).toEqual([]);
        expect(JSON.stringify(casc.credentials)).not.toContain('aws-deployer');
        expect([...jobs.keys()].sort()).toEqual(
          [DEFAULTS.jenkins_job_name, DEFAULTS.jenkins_release_job_name].sort(),
        );
      });

      it('when rendered for AWS, then only the release job holds it, in its own folder credentials, as a role the controller assumes', () => {
        expect(branches()).not.toMatch(/aws-deployer|folderCredentialsProperty|iamRoleArn/);
        const credential = block(release(), 'awsCredentialsImpl');
        expect(block(release(), 'folderCredentialsProperty')).toContain(credential);
        expect(calls(credential)).toEqual({
          scope: 'GLOBAL',
          id: 'aws-deployer',
          description: expect.any(String),
          iamRoleArn: ARN,
        });
      });

      it('when the release job is read, then it builds the branch the Jenkinsfile releases and nothing else: no pull requests, no forks', () => {
        const jenkinsfile = readFileSync(join(ANSIBLE, '..', '..', 'Jenkinsfile'), 'utf8');
        const guarded = [...jenkinsfile.matchAll(/when \{ branch '([^']+)' \}/g)].map((m) => m[1]);
        expect(new Set(guarded)).toEqual(new Set([DEFAULTS.jenkins_release_branch]));
        const traits = block(release(), 'traits');
        expect(traitNames(traits)).toEqual(['gitHubBranchDiscovery', 'headWildcardFilter']);
        expect(calls(block(traits, 'headWildcardFilter'))).toEqual({
          includes: DEFAULTS.jenkins_release_branch,
          excludes: '',
        });
      });

      it('when the branches job is read, then it builds every other branch and the repository’s own pull requests, never forks', () => {
        const traits = block(branches(), 'traits');
        expect(traitNames(traits)).toEqual([
          'gitHubBranchDiscovery',
          'gitHubPullRequestDiscovery',
          'headWildcardFilter',
        ]);
        expect(calls(block(traits, 'headWildcardFilter'))).toEqual({
          includes: '*',
          excludes: DEFAULTS.jenkins_release_branch,
        });
        for (const job of jobs.values()) expect(job).not.toMatch(/gitHubForkDiscovery|gitHubTrust/);
      });

      it('when rendered, then no job manages GitHub hooks, so the token needs no webhook permission', () => {
        expect(casc.unclassified.gitHubPluginConfig).not.toHaveProperty('configs');
      });

      it('when the GitHub token is documented, then it is a fine-grained token with exactly the permissions the jobs use', () => {
        const readme = readFileSync(join(ANSIBLE, '..', 'README.md'), 'utf8');
        const section = readme.slice(readme.indexOf('**The GitHub token**'));
        const table = section.slice(0, section.indexOf('\n\n', section.indexOf('| Permission')));
        const rows = [...table.matchAll(/^\| ([^|]+?) \| ([^|]+?) \|/gm)]
          .slice(2)
          .map((m) => `${m[1]}: ${m[2]}`);
        expect(section).toMatch(/^\*\*The GitHub token\*\* .*fine-grained personal access token/s);
        expect(rows.sort()).toEqual([
          'Commit statuses: Read and write',
          'Contents: Read-only',
          'Metadata: Read-only',
          'Pull requests: Read-only',
        ]);
        // Check runs need a GitHub App: a plugin reporting them would fail with this token.
        const plugins = readFileSync(join(ROLE, 'files', 'plugins.txt'), 'utf8');
        expect(plugins).not.toMatch(/^github-checks:/m);
        const github = casc.credentials.system.domainCredentials[0].credentials.find(
          (c) => c.usernamePassword?.id === 'github',
        )?.usernamePassword;
        expect(github).toMatchObject({ password: '${GITHUB_TOKEN}' });
      });
    });

    it('when rendered, then the pipeline reads each environment’s AWS settings where the build agent role puts them', async () => {
      const casc = await render({});
      const env = casc.jenkins.globalNodeProperties[0].envVars.env;
      expect(env).toContainEqual({
        key: 'AWS_SETTINGS_DIR',
        value: GROUP_VARS.tradepost_aws_settings_dir,
      });
      const agentTasks = readFileSync(
        join(ANSIBLE, 'roles', 'build_agent', 'tasks', 'main.yml'),
        'utf8',
      );
      expect(agentTasks).toContain("dest: '{{ tradepost_aws_settings_dir }}/{{ item }}.yaml'");
    }, 100_000);

    it('when rendered for the rehearsal without a deploy role, then there is no deploy credential', async () => {
      const casc = await render({});
      const credentials = casc.credentials.system.domainCredentials[0].credentials;
      expect(credentials.filter((c) => c.aws)).toEqual([]);
      expect(casc.jobs.map((j) => j.script).join('\n')).not.toMatch(
        /aws-deployer|folderCredentialsProperty/,
      );
    }, 100_000);

    it('when the secrets are traced, then each one the configuration reads is written, owned by the controller user, 0600 in a 0700 directory', () => {
      const used = [...TEMPLATE.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => m[1]);
      const secrets = tasks('secrets.yml');
      const gathered = secrets.find((t) => t.name === 'Gather the secret values')![
        'ansible.builtin.set_fact'
      ] as { jenkins_casc_secrets: { name: string }[] };
      expect(gathered.jenkins_casc_secrets.map((s) => s.name).sort()).toEqual(
        [...new Set(used)].sort(),
      );
      const write = secrets.find((t) => t.name === 'Write the secret files')!;
      expect(write['ansible.builtin.copy']).toMatchObject({
        owner: 'jenkins',
        group: 'jenkins',
        mode: '0600',
      });
      expect(write.no_log).toBe(true);
      const dirs = tasks('main.yml').find((t) => /configuration-as-code directories/.test(t.name))!;
      expect(dirs['ansible.builtin.file']).toMatchObject({ owner: 'jenkins', mode: '0700' });
      expect(dirs.loop).toEqual(expect.arrayContaining(['{{ jenkins_secrets_dir }}']));
    });
  });
});

interface Credential {
  aws?: Record<string, string>;
  string?: { id: string; scope: string; secret: string };
  usernamePassword?: Record<string, string>;
}
interface CasC {
  jenkins: {
    numExecutors: number;
    nodes: unknown[];
    globalNodeProperties: { envVars: { env: { key: string; value: string }[] } }[];
  };
  credentials: { system: { domainCredentials: { credentials: Credential[] }[] } };
  unclassified: { gitHubPluginConfig: { hookSecretConfigs: unknown[] } };
  jobs: { script: string }[];
}

/** Each top-level `multibranchPipelineJob('name') { … }` of a Job DSL script, by name. */
function multibranchJobs(script: string): Map<string, string> {
  const pairs = matchBraces(script);
  const jobs = new Map<string, string>();
  for (const m of script.matchAll(/^\s*multibranchPipelineJob\('([^']+)'\)\s*\{/gm)) {
    const open = (m.index ?? 0) + m[0].length - 1;
    jobs.set(m[1], script.slice(open, pairs.get(open)! + 1));
  }
  return jobs;
}

/** The first `name { … }` block inside `text`, braces included. */
function block(text: string, name: string): string {
  const m = new RegExp(`\\b${name}\\s*\\{`).exec(text);
  if (!m) throw new Error(`no ${name} block in:\n${text}`);
  const open = m.index + m[0].length - 1;
  return text.slice(open, matchBraces(text).get(open)! + 1);
}

/** The direct children of a `traits { … }` block, by name. */
function traitNames(traits: string): string[] {
  const inner = traits.slice(1, -1);
  const pairs = matchBraces(inner);
  const names: string[] = [];
  let i = 0;
  for (const m of inner.matchAll(/(\w+)\s*\{/g)) {
    if ((m.index ?? 0) < i) continue;
    names.push(m[1]);
    i = pairs.get((m.index ?? 0) + m[0].length - 1)! + 1;
  }
  return names;
}

/** The `name('value')` calls of a block, as an object (one level, strings only). */
function calls(text: string): Record<string, string> {
  return Object.fromEntries(
    [...text.matchAll(/^\s*(\w+)\('([^']*)'\)\s*$/gm)].map((m) => [m[1], m[2]]),
  );
}
