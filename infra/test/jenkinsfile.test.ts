import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { checkJenkinsfile, type PipelineContext } from './lib/jenkinsfile-policy';
import { describeNeeding } from '../../scripts/lib/test-deps';

const ROOT = join(__dirname, '..', '..');
const JENKINSFILE = readFileSync(join(ROOT, 'Jenkinsfile'), 'utf8');
const CONFIG = join(__dirname, '..', 'jenkins', '.groovylintrc.json');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const ANSIBLE_VARS = parse(
  readFileSync(
    join(__dirname, '..', 'ansible', 'inventory', 'group_vars', 'all', 'main.yml'),
    'utf8',
  ),
) as { tradepost_build_agent_label: string };
const ctx: PipelineContext = {
  root: ROOT,
  npmScripts: Object.keys(pkg.scripts),
  agentLabel: ANSIBLE_VARS.tradepost_build_agent_label,
};

interface LintReport {
  summary: { totalFoundErrorNumber: number; totalFoundWarningNumber: number };
  files: Record<
    string,
    { errors: { rule: string; severity: string; line: number | string; msg: string }[] }
  >;
}

/** npm-groovy-lint on the machine's Java, without its background server and offline. */
async function groovyLint(file: string): Promise<LintReport> {
  const bin = join(ROOT, 'node_modules', '.bin', 'npm-groovy-lint');
  const args = ['--noserver', '--config', CONFIG, '--output', 'json', '--failon', 'none', file];
  const { stdout } = await promisify(execFile)(bin, args, { cwd: ROOT, timeout: 90_000 });
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintReport;
}

function mutate(from: string, to: string): string {
  if (!JENKINSFILE.includes(from)) throw new Error(`Jenkinsfile lacks ${from}`);
  return JENKINSFILE.replace(from, to);
}

describeNeeding(['java'], 'Jenkinsfile', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jenkinsfile-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when linted with npm-groovy-lint (Jenkinsfile rules), then it has no errors or warnings', async () => {
    const report = await groovyLint(join(ROOT, 'Jenkinsfile'));
    const findings = Object.values(report.files).flatMap((f) =>
      f.errors.filter((e) => e.severity !== 'info'),
    );
    expect(findings).toEqual([]);
  }, 100_000);

  it('when a broken copy is linted, then npm-groovy-lint reports the defect', async () => {
    const bad = join(dir, 'Jenkinsfile');
    writeFileSync(
      bad,
      mutate(
        "stage('Build') { steps { sh 'npm run build' } }",
        "stage('Build') { steps { sh 'npm run build' }",
      ),
    );
    const report = await groovyLint(bad);
    expect(report.summary.totalFoundErrorNumber).toBeGreaterThan(0);
  }, 100_000);

  it('when checked structurally, then every sh runs an existing npm script or scripts/ci file and all rules hold', () => {
    expect(checkJenkinsfile(JENKINSFILE, ctx)).toEqual([]);
  });

  it.each<[string, string, string, RegExp]>([
    [
      'an npm script that does not exist',
      "sh 'npm run lint'",
      "sh 'npm run lint:all'",
      /npm script "lint:all" does not exist/,
    ],
    [
      'a scripts/ci file that does not exist',
      "sh 'scripts/ci/all-tests.sh'",
      "sh 'scripts/ci/unit.sh'",
      /unit\.sh does not exist/,
    ],
    [
      'inline shell logic',
      "sh 'npm run build'",
      "sh 'npm run build && docker build .'",
      /chains commands/,
    ],
    [
      'a double-quoted sh',
      "sh 'scripts/ci/rollout-wait.sh prod 300'",
      'sh "scripts/ci/rollout-wait.sh prod 300"',
      /single-quoted/,
    ],
    ['a missing option', '        timestamps()\n', '', /options lacks timestamps/],
    [
      'no webhook trigger',
      'triggers { githubPush() }',
      "triggers { pollSCM('H/5 * * * *') }",
      /githubPush/,
    ],
    [
      'an unguarded release',
      "when { branch 'main' }",
      'when { expression { true } }',
      /not guarded/,
    ],
    [
      'no junit in post always',
      "junit testResults: 'reports/junit/*.xml', allowEmptyResults: true",
      'echo "done"',
      /junit/,
    ],
    [
      'builds on any node, the controller included',
      "agent { label 'tradepost' }",
      'agent any',
      /agent any/,
    ],
    [
      'a stage on the controller',
      "stage('Build') { steps",
      "stage('Build') { agent { label 'built-in' }\n steps",
      /Build runs on .*built-in/,
    ],
    [
      'deploy credentials in a stage every branch runs',
      "withCredentials([string(credentialsId: 'tradepost-test-database-url', variable: 'TEST_DATABASE_URL')]) {",
      "withCredentials([aws(credentialsId: 'aws-deployer')]) {",
      /aws-deployer is bound outside/,
    ],
    [
      'no rollback after a failed apply, rollout or smoke test',
      'unsuccessful {',
      'success {',
      /a failed deploy .*does not roll back/,
    ],
    [
      'a test environment rolled back as if it were production',
      "{ sh 'scripts/ci/rollback.sh test' }",
      "{ sh 'scripts/ci/rollback.sh prod' }",
      /a failed deploy test does not roll back \(post \{ unsuccessful \{ rollback\.sh test/,
    ],
    [
      'production before the test environment',
      "sh 'scripts/ci/rollout-wait.sh test 300'",
      'sh \'scripts/ci/migrate.sh prod "$REGISTRY" "$GIT_COMMIT" 600\'\n sh \'scripts/ci/rollout-wait.sh test 300\'',
      /production is migrated before the test environment passed its smoke test/,
    ],
    [
      'no Terraform checks',
      "                stage('Infra') { steps { sh 'infra/terraform/scripts/check.sh' } }\n",
      '',
      /check\.sh .* is not run in the parallel Checks/,
    ],
    [
      'a script outside scripts/ci and infra/terraform/scripts',
      "sh 'infra/terraform/scripts/check.sh'",
      "sh 'infra/scripts/terraform-vars.sh'",
      /"infra\/scripts\/terraform-vars\.sh" is neither/,
    ],
    [
      'no container suite',
      "        stage('Container tests') { steps { sh 'scripts/ci/container-tests.sh' } }\n",
      '',
      /container-tests\.sh .* is not run in the 'Container tests' stage/,
    ],
    [
      'a container stage that does not run the suite',
      "stage('Container tests') { steps { sh 'scripts/ci/container-tests.sh' } }",
      "stage('Container tests') { steps { sh 'npm run build' } }",
      /container-tests\.sh .* is not run/,
    ],
    [
      'lint and typecheck in one step',
      "stage('Typecheck') { steps { sh 'npm run typecheck' } }",
      "stage('Typecheck') { steps { sh 'npm run lint' } }",
      /npm run typecheck is not a step of its own/,
    ],
  ])('when the Jenkinsfile has %s, then the structural check fails', (_name, from, to, problem) => {
    const problems = checkJenkinsfile(mutate(from, to), ctx);
    expect(problems.join('\n')).toMatch(problem);
  });
});
