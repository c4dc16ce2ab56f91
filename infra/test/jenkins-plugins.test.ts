import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { checkPins, compareVersions, parsePins, type PluginReleases } from './lib/jenkins-plugins';

const INFRA = join(__dirname, '..');
const ROLE = join(INFRA, 'ansible', 'roles', 'jenkins');
const PLUGINS_TXT = readFileSync(join(ROLE, 'files', 'plugins.txt'), 'utf8');
const RELEASES = JSON.parse(
  readFileSync(join(INFRA, 'jenkins', 'plugin-releases.json'), 'utf8'),
) as PluginReleases;
const CORE = (
  parse(readFileSync(join(ROLE, 'defaults', 'main.yml'), 'utf8')) as { jenkins_version: string }
).jenkins_version;
const REFRESH = join(INFRA, 'jenkins', 'refresh-plugin-releases.mjs');

describe('Jenkins plugin pins', () => {
  it('when each pin is looked up in the recorded releases, then it is a real release that runs on the pinned core', () => {
    expect(checkPins(parsePins(PLUGINS_TXT), RELEASES, CORE)).toEqual([]);
  });

  it('when the pipeline and the controller configuration are read, then every plugin they use is pinned', () => {
    const pins = parsePins(PLUGINS_TXT);
    for (const plugin of [
      'configuration-as-code', // jenkins.yaml
      'job-dsl', // jobs: in jenkins.yaml
      'workflow-aggregator', // declarative pipeline, multibranch
      'github-branch-source', // the tradepost job's source
      'github', // githubPush(), webhook signature
      'credentials-binding', // withCredentials
      'aws-credentials', // aws(credentialsId: 'aws-deployer')
      'timestamper', // timestamps()
      'junit',
      'coverage', // recordCoverage
      'ws-cleanup', // cleanWs()
    ])
      expect([plugin, pins.has(plugin)]).toEqual([plugin, true]);
  });

  it.each<[string, string, RegExp]>([
    ['a version that was never released', 'coverage:2.20.0', /coverage:2\.20\.0 is not a release/],
    [
      'a pin older than another pin requires',
      'credentials-binding:681.vf91669a_32e45',
      /git:5\.10\.1 needs credentials-binding 702\.vfe613e537e88 or newer; pinned 681/,
    ],
    [
      'a plugin with no recorded releases',
      'matrix-auth:3.2.6',
      /matrix-auth has no recorded releases/,
    ],
  ])('when plugins.txt has %s, then the check names it', (_name, pin, problem) => {
    const name = pin.split(':')[0];
    const lines = PLUGINS_TXT.split('\n').filter((l) => !l.startsWith(`${name}:`));
    const problems = checkPins(parsePins([...lines, pin].join('\n')), RELEASES, CORE);
    expect(problems.join('\n')).toMatch(problem);
  });

  it('when a pin needs a newer core than the one pinned, then the check names both', () => {
    // coverage 3.x needs 2.555.3: fine on the pinned core, refused on the LTS line before it.
    expect(CORE).toBe('2.568.2');
    const pins = parsePins(PLUGINS_TXT);
    expect(checkPins(pins, RELEASES, CORE)).toEqual([]);
    expect(checkPins(pins, RELEASES, '2.541.3')).toContain(
      `coverage:${pins.get('coverage')} needs Jenkins 2.555.3, newer than 2.541.3`,
    );
  });

  it.each<[string, string, number]>([
    ['5.10.1', '5.7.0', 1],
    ['2.504.3', '2.504', 1],
    ['2.479.3', '2.504.1', -1],
    ['687.689.v1a_f775332fc9', '687.v619cb_15e923f', 1],
    ['1971.vf9280461ea_89', '1971.vf9280461ea_89', 0],
  ])('when %s is compared with %s, then the order is %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });

  describe('refresh-plugin-releases.mjs', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'plugin-releases-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const run = (...args: string[]) =>
      promisify(execFile)('node', [REFRESH, ...args], { timeout: 20_000 }).catch(
        (e: { code: number; stderr: string }) => e,
      );

    it('when given the update center format, then it writes the releases since the date and the pinned dependencies', async () => {
      writeFileSync(join(dir, 'plugins.txt'), '# pins\ngit:5.7.0\n');
      const entry = (version: string, date: string, core: string) => ({
        name: 'git',
        version,
        requiredCore: core,
        releaseTimestamp: `${date}T10:00:00.00Z`,
        dependencies: [{ name: 'credentials', version: '1405.vb_cda_74a_f8974', optional: false }],
      });
      writeFileSync(
        join(dir, 'plugin-versions.json'),
        JSON.stringify({
          updateCenterVersion: '1',
          plugins: {
            git: {
              '4.0.0': entry('4.0.0', '2019-11-18', '2.121.1'),
              '5.7.0': entry('5.7.0', '2025-01-02', '2.479.1'),
              '5.8.0': entry('5.8.0', '2025-06-10', '2.479.3'),
            },
            junit: {},
          },
        }),
      );
      const out = join(dir, 'out.json');
      const args = [
        '--from',
        join(dir, 'plugin-versions.json'),
        '--plugins',
        join(dir, 'plugins.txt'),
      ];
      const result = await run(...args, '--out', out, '--since', '2024-01-01');
      expect(result).not.toHaveProperty('code');
      const written = JSON.parse(readFileSync(out, 'utf8')) as PluginReleases;
      expect(written.plugins).toEqual({
        git: {
          '5.7.0': {
            requiredCore: '2.479.1',
            released: '2025-01-02',
            dependencies: [
              { name: 'credentials', version: '1405.vb_cda_74a_f8974', optional: false },
            ],
          },
          '5.8.0': { requiredCore: '2.479.3', released: '2025-06-10' },
        },
      });
      expect(checkPins(new Map([['git', '5.7.0']]), written, '2.504.3')).toEqual([]);
    });

    it('when a pinned plugin is missing from the source, then it fails and names it', async () => {
      writeFileSync(join(dir, 'plugins.txt'), 'no-such-plugin:1.0\n');
      writeFileSync(join(dir, 'plugin-versions.json'), JSON.stringify({ plugins: {} }));
      const result = await run(
        '--from',
        join(dir, 'plugin-versions.json'),
        '--plugins',
        join(dir, 'plugins.txt'),
        '--out',
        join(dir, 'out.json'),
      );
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(/no-such-plugin is not in/),
      });
    });
  });
});
