/**
 * Structural rules for the Jenkinsfile that a generic Groovy linter cannot know: every `sh`
 * is single-quoted and runs an existing npm script or an executable scripts/ci/ file, the
 * required options and trigger are there, releases are guarded by `branch 'main'`, test
 * reports are published in `post { always }`, and the stages come in a safe order.
 */
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export interface PipelineContext {
  /** Repository root: scripts/ci/* are resolved against it. */
  root: string;
  /** Names of the root package.json scripts. */
  npmScripts: string[];
}

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
  if (!/^scripts\/ci\/[\w.-]+$/.test(words[0]))
    return `"${words[0]}" is neither an npm script nor scripts/ci/*`;
  try {
    accessSync(join(ctx.root, words[0]), constants.X_OK);
    return null;
  } catch {
    return `${words[0]} does not exist or is not executable`;
  }
}

/** Index of the first `stage('name')`, or -1. */
const stageAt = (text: string, name: string): number =>
  text.search(new RegExp(`stage\\(\\s*'${name}'`));

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

  const release = stageAt(text, 'Release');
  if (release < 0) problems.push("no 'Release' stage");
  else if (!/^\s*when\s*\{\s*branch\s+'main'\s*\}/.test(text.slice(text.indexOf('{', release) + 1)))
    problems.push("the 'Release' stage is not guarded by when { branch 'main' }");
  for (const command of [
    'build-images',
    'push-images',
    'migrate',
    'deploy',
    'rollout-wait',
    'smoke-test',
  ]) {
    const at = text.indexOf(`scripts/ci/${command}.sh`);
    if (at < 0) problems.push(`scripts/ci/${command}.sh is never called`);
    else if (release >= 0 && at < release)
      problems.push(`${command} runs outside the guarded 'Release' stage`);
  }
  const tests = ['Unit tests', 'Integration tests'].map((s) => stageAt(text, s));
  if (tests.some((at) => at < 0 || (release >= 0 && at > release)))
    problems.push('tests must run before the release');

  const rollbacks = text.match(/failure\s*\{\s*sh\s+'scripts\/ci\/rollback\.sh prod'/g) ?? [];
  if (rollbacks.length < 2) problems.push('rollout and smoke test failures must both roll back');

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
