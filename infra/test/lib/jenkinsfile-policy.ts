/**
 * Structural rules for the Jenkinsfile that a generic Groovy linter cannot know: every `sh`
 * is single-quoted and runs an existing npm script or an executable scripts/ci/ file, the
 * required options and trigger are there, every stage runs on the build agent (never the
 * controller), releases and deploy credentials are guarded by `branch 'main'`, a failed
 * apply, rollout or smoke test rolls back, test reports are published in `post { always }`,
 * and the stages come in a safe order.
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { lineage, section, stageAround, stages, type Stage } from './groovy-blocks';

export interface PipelineContext {
  /** Repository root: scripts/ci/* are resolved against it. */
  root: string;
  /** Names of the root package.json scripts. */
  npmScripts: string[];
  /** The build agent's label, as the controller's configuration defines the node. */
  agentLabel: string;
}

/** The credential that carries deploy rights (ECR push, EKS); only release stages of main. */
export const DEPLOY_CREDENTIAL = 'aws-deployer';

const NPM_BUILTINS = new Set(['ci']);

/** The command of every sh step, or an error entry for steps that are not single-quoted. */
export function shSteps(text: string): { command: string; quote: string }[] {
  const steps: { command: string; quote: string }[] = [];
  const re = /\bsh\s*\(?\s*(?:script\s*:\s*)?(['"]{1,3})([\s\S]*?)\1/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text))
    steps.push({ quote: m[1], command: m[2] });
  return steps;
}

function commandProblem(command: string, ctx: PipelineContext): string | null {
  const words = command.trim().split(/\s+/);
  if (/[;&|`]|\$\(/.test(command))
    return `"${command}" chains commands; put the logic in scripts/ci/`;
  if (words[0] === 'npm') {
    if (words[1] === 'run')
      return ctx.npmScripts.includes(words[2]) ? null : `npm script "${words[2]}" does not exist`;
    if (words[1] === 'test' || words[1] === 'start')
      return ctx.npmScripts.includes(words[1]) ? null : `npm ${words[1]} has no script`;
    return NPM_BUILTINS.has(words[1]) ? null : `"npm ${words[1]}" is not an npm script`;
  }
  if (!/^(scripts\/ci|infra\/terraform\/scripts)\/[\w.-]+$/.test(words[0]))
    return `"${words[0]}" is neither an npm script nor scripts/ci/* nor infra/terraform/scripts/*`;
  try {
    accessSync(join(ctx.root, words[0]), constants.X_OK);
    return null;
  } catch {
    return `${words[0]} does not exist or is not executable`;
  }
}

/** Where builds run: the pipeline's agent and every stage's must be the build agent's label. */
function agentProblems(text: string, all: Stage[], ctx: PipelineContext): string[] {
  const problems: string[] = [];
  const pipeline = /^pipeline\s*\{/m.exec(text);
  const top = pipeline ? section(text, pipeline.index + pipeline[0].length - 1, 'agent') : null;
  if (top === null && !/\bagent\s+(any|none)\b/.test(text))
    problems.push('the pipeline has no agent');
  for (const m of text.matchAll(/\bagent\s*(\{[^}]*\}|any\b|none\b)/g)) {
    const label = /^\{\s*label\s+'([^']+)'\s*\}$/.exec(m[1])?.[1];
    if (label !== ctx.agentLabel) {
      const where = stageAround(all, m.index ?? 0)?.name ?? 'the pipeline';
      problems.push(
        `${where} runs on "agent ${m[1]}", not the build agent (agent { label '${ctx.agentLabel}' }); builds never run on the controller`,
      );
    }
  }
  return problems;
}

/** The stages whose `when` is exactly `branch 'main'`. */
const mainOnly = (text: string, all: Stage[]): Stage[] =>
  all.filter((s) => /^\s*branch\s+'main'\s*$/.test(section(text, s.open, 'when') ?? ''));

/** True if the stage or one that encloses it rolls `env` back when it does not succeed. */
function rollsBack(text: string, stage: Stage | null, env: string): boolean {
  return lineage(stage).some((s) => {
    const post = section(text, s.open, 'post') ?? '';
    return ['failure', 'unsuccessful'].some((c) =>
      new RegExp(`sh\\s+'scripts/ci/rollback\\.sh ${env}'`).test(section(`{${post}}`, 0, c) ?? ''),
    );
  });
}

/** Every call of scripts/ci/NAME.sh: where it is and the environment it is given. */
const calls = (text: string, name: string) =>
  [...text.matchAll(new RegExp(`scripts/ci/${name}\\.sh(?: (test|prod)\\b)?`, 'g'))].map((m) => ({
    at: m.index ?? 0,
    env: m[1],
  }));

export function checkJenkinsfile(text: string, ctx: PipelineContext): string[] {
  const problems: string[] = [];
  const steps = shSteps(text);
  if (steps.length === 0) problems.push('no sh steps found');
  for (const { command, quote } of steps) {
    if (quote !== "'")
      problems.push(
        `sh ${quote}${command}${quote} must be single-quoted so Groovy never interpolates`,
      );
    const problem = commandProblem(command, ctx);
    if (problem) problems.push(problem);
  }

  if (!/^pipeline\s*\{/m.test(text)) problems.push('not a declarative pipeline');
  const options = /options\s*\{([\s\S]*?)\n\s*\}/.exec(text)?.[1] ?? '';
  for (const option of ['timeout', 'timestamps', 'buildDiscarder', 'disableConcurrentBuilds']) {
    if (!new RegExp(`\\b${option}\\(`).test(options)) problems.push(`options lacks ${option}`);
  }
  if (!/triggers\s*\{\s*githubPush\(\)\s*\}/.test(text))
    problems.push('not triggered by githubPush()');
  if (/:latest\b|['"]latest['"]/.test(text)) problems.push('uses a latest tag');

  const all = stages(text);
  problems.push(...agentProblems(text, all, ctx));

  const release = all.find((s) => s.name === 'Release');
  if (!release) problems.push("no 'Release' stage");
  else if (!mainOnly(text, all).includes(release))
    problems.push("the 'Release' stage is not guarded by when { branch 'main' }");
  const guarded = (at: number) => lineage(stageAround(all, at)).some((s) => s === release);
  for (const command of [
    'build-images',
    'push-images',
    'migrate',
    'deploy',
    'rollout-wait',
    'smoke-test',
  ]) {
    const found = calls(text, command);
    if (found.length === 0) problems.push(`scripts/ci/${command}.sh is never called`);
    else if (release && found.some((c) => !guarded(c.at)))
      problems.push(`${command} runs outside the guarded 'Release' stage`);
  }
  // The test environment gets each release first: production's migration comes after the
  // test environment's smoke test.
  const testSmoke = calls(text, 'smoke-test').find((c) => c.env === 'test');
  const prodMigrate = calls(text, 'migrate').find((c) => c.env === 'prod');
  if (!testSmoke) problems.push('the release is never deployed and smoke-tested in test');
  else if (prodMigrate && prodMigrate.at < testSmoke.at)
    problems.push('production is migrated before the test environment passed its smoke test');
  for (const m of text.matchAll(new RegExp(`'${DEPLOY_CREDENTIAL}'`, 'g'))) {
    if (!release || !guarded(m.index ?? 0))
      problems.push(`credential ${DEPLOY_CREDENTIAL} is bound outside the guarded 'Release' stage`);
  }
  const order = [
    'Install',
    'Lint',
    'Typecheck',
    'All tests',
    'Integration tests',
    'Container tests',
  ];
  const containers = calls(text, 'container-tests');
  const containerStage = all.find((s) => s.name === 'Container tests');
  if (
    containers.length === 0 ||
    !containerStage ||
    containers.some((c) => !lineage(stageAround(all, c.at)).includes(containerStage))
  )
    problems.push(
      "scripts/ci/container-tests.sh (npm run test:containers) is not run in the 'Container tests' stage",
    );
  for (const name of order) {
    const stage = all.find((s) => s.name === name);
    if (!stage || (release && stage.at > release.at))
      problems.push(`stage '${name}' must run before the release`);
  }
  const checks = all.find((s) => s.name === 'Checks');
  const infra = text.indexOf("sh 'infra/terraform/scripts/check.sh'");
  if (infra < 0 || !checks || !lineage(stageAround(all, infra)).includes(checks))
    problems.push(
      'infra/terraform/scripts/check.sh (fmt, validate, plan tests) is not run in the parallel Checks',
    );
  for (const script of ['lint', 'typecheck']) {
    if (!steps.some((s) => s.command === `npm run ${script}`))
      problems.push(`npm run ${script} is not a step of its own`);
  }

  for (const command of ['deploy', 'rollout-wait', 'smoke-test']) {
    for (const { at, env } of calls(text, command))
      if (!rollsBack(text, stageAround(all, at), env ?? 'prod'))
        problems.push(
          `a failed ${command} ${env ?? ''} does not roll back (post { unsuccessful { rollback.sh ${env ?? 'prod'} } })`,
        );
  }

  const always =
    /post\s*\{\s*always\s*\{([\s\S]*?)\n\s*\}/.exec(
      text.slice(text.lastIndexOf('\n    post')),
    )?.[1] ?? '';
  if (!/\bjunit\b/.test(always)) problems.push('junit is not published in post { always }');
  if (!/recordCoverage|cobertura/i.test(always))
    problems.push('coverage is not published in post { always }');

  if (/environment\s*\{[^}]*credentials\(/.test(text))
    problems.push('credentials bound pipeline-wide; bind them per stage');
  return problems;
}
