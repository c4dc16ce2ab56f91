// @ts-check
/**
 * A jest reporter that says, at the top and at the bottom of the run, which system
 * programs are missing and which suites did not run for want of them, with the one
 * command that installs them. Silent when nothing is missing.
 */
'use strict';

const { INSTALL, NOT_RUN, isInstalled, readTestDeps } = require('./test-deps');

const RULE = '*'.repeat(78);

/** @param {string[]} lines */
function banner(lines) {
  process.stderr.write(`\n${RULE}\n${lines.map((l) => `* ${l}`).join('\n')}\n${RULE}\n\n`);
}

class TestDepsReporter {
  onRunStart() {
    const missing = readTestDeps().filter(
      (d) => (d.group === 'test' || d.group === 'manual') && !isInstalled(d.program),
    );
    if (missing.length === 0) return;
    const manual = missing.filter((d) => d.group === 'manual');
    banner([
      `Not installed: ${missing.map((d) => d.program).join(', ')}.`,
      process.env.CI
        ? 'CI is set: every suite that needs one of them fails.'
        : 'Suites that need them are skipped (listed again at the end of the run).',
      ...(manual.length < missing.length ? [`Install them all: sudo ${INSTALL}`] : []),
      ...manual.map((d) => `Install ${d.program} by hand: ${d.package}`),
    ]);
  }

  /** @param {Set<unknown>} _contexts @param {import('@jest/reporters').AggregatedResult} results */
  onRunComplete(_contexts, results) {
    const notRun = results.testResults.flatMap((file) =>
      file.testResults
        .filter((t) => t.title.startsWith(NOT_RUN))
        .map((t) => `${[...t.ancestorTitles].join(' › ')}: ${t.title.slice('not run: '.length)}`),
    );
    if (notRun.length === 0) return;
    banner([
      `${notRun.length} suite(s) did not run${process.env.CI ? ' (failed: CI is set)' : ''}:`,
      ...notRun.map((line) => `  - ${line}`),
      ...(notRun.some((line) => line.includes(INSTALL))
        ? [`Install the Debian packages they need: sudo ${INSTALL}`]
        : []),
    ]);
  }
}

module.exports = TestDepsReporter;
