// @ts-check
/**
 * The system programs the suites drive (scripts/test-deps.txt, the list that
 * scripts/install-test-deps.sh installs from), and how a suite says it needs one.
 * A suite whose program is missing is skipped with one test named "not run: …",
 * which the run's banner (./test-deps-reporter.js) collects; with CI set, the same
 * test fails instead, so a CI machine cannot pass without the program.
 */
'use strict';
/* global describe, it -- jest's, in the test file that loads this */

const fs = require('node:fs');
const path = require('node:path');

const LIST = path.join(__dirname, '..', 'test-deps.txt');
const INSTALL = 'scripts/install-test-deps.sh';
/** Where programs live that are not always on a user's PATH (as install-test-deps.sh looks). */
const EXTRA_DIRS = ['/usr/sbin', '/usr/lib/podman'];
const NOT_RUN = 'not run: needs ';

/**
 * @typedef {{ program: string, package: string, group: string, why: string }} TestDep
 * @returns {TestDep[]} every line of scripts/test-deps.txt
 */
function readTestDeps() {
  return fs
    .readFileSync(LIST, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [program, pkg, group, ...why] = line.split(/\s+/);
      return { program, package: pkg, group, why: why.join(' ') };
    });
}

/** @type {Map<string, boolean>} */
const found = new Map();

/** @param {string} program */
function isInstalled(program) {
  let known = found.get(program);
  if (known === undefined) {
    const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
    known = dirs.some((dir) => {
      try {
        fs.accessSync(path.join(dir, program), fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    found.set(program, known);
  }
  return known;
}

/**
 * The programs of `programs` that are not installed. Each must be in the list, so the
 * one install command covers it.
 * @param {readonly string[]} programs
 */
function missingPrograms(programs) {
  const listed = new Set(readTestDeps().map((d) => d.program));
  const unlisted = programs.filter((p) => !listed.has(p));
  if (unlisted.length > 0) {
    throw new Error(`${unlisted.join(', ')}: not in scripts/test-deps.txt; add it there first`);
  }
  return programs.filter((p) => !isInstalled(p));
}

/**
 * How to install `programs`: the install script for the Debian ones, and for each program of
 * the "manual" group (which the script does not install) where to get it.
 * @param {readonly string[]} programs
 */
function installHint(programs) {
  const manual = new Map(
    readTestDeps()
      .filter((d) => d.group === 'manual')
      .map((d) => [d.program, d.package]),
  );
  const hints = programs.filter((p) => manual.has(p)).map((p) => `${p}: ${manual.get(p)}`);
  if (programs.some((p) => !manual.has(p))) hints.unshift(INSTALL);
  return hints.join('; ');
}

/** @param {readonly string[]} missing */
function notRunTitle(missing) {
  return `${NOT_RUN}${missing.join(', ')} (install: ${installHint(missing)})`;
}

/**
 * In place of a suite whose programs are missing: one skipped test naming them, or
 * under CI one failing test.
 * @param {readonly string[]} missing
 */
function placeholder(missing) {
  const title = notRunTitle(missing);
  if (process.env.CI) {
    it(title, () => {
      throw new Error(`${missing.join(', ')} not installed, and CI requires every suite to run`);
    });
  } else {
    it.skip(title, () => undefined);
  }
}

/**
 * `describe`, run only when every program in `programs` is installed.
 * @param {readonly string[]} programs
 * @param {string} name
 * @param {() => void} fn
 */
function describeNeeding(programs, name, fn) {
  const missing = missingPrograms(programs);
  if (missing.length === 0) describe(name, fn);
  else describe(name, () => placeholder(missing));
}

/**
 * `it`, run only when every program in `programs` is installed.
 * @param {readonly string[]} programs
 * @param {string} name
 * @param {jest.ProvidesCallback} fn
 * @param {number} [timeout]
 */
function itNeeding(programs, name, fn, timeout) {
  const missing = missingPrograms(programs);
  if (missing.length === 0) it(name, fn, timeout);
  else placeholder(missing);
}

/**
 * A `describe` whose suites run only when every program in `programs` is installed. A
 * file whose every suite drives nginx starts with `const describe = needing(['nginx']);`.
 * @param {readonly string[]} programs
 * @returns {(name: string, fn: () => void) => void}
 */
function needing(programs) {
  return (name, fn) => describeNeeding(programs, name, fn);
}

module.exports = {
  INSTALL,
  installHint,
  NOT_RUN,
  readTestDeps,
  isInstalled,
  missingPrograms,
  describeNeeding,
  itNeeding,
  needing,
};
