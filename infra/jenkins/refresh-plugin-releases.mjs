#!/usr/bin/env node
// Usage: node infra/jenkins/refresh-plugin-releases.mjs [--from URL|FILE] [--since YYYY-MM-DD]
//                                                       [--plugins FILE] [--out FILE]
// Rewrites infra/jenkins/plugin-releases.json from the Jenkins update center's record of every
// released plugin version (default --from https://updates.jenkins.io/current/plugin-versions.json):
// for each plugin named in infra/ansible/roles/jenkins/files/plugins.txt, its releases since
// --since (default 2024-01-01) with the Jenkins core each requires, and the dependencies of the
// pinned version. Run it after changing a pin; npm test then checks the pins against the result.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const options = {
  from: 'https://updates.jenkins.io/current/plugin-versions.json',
  since: '2024-01-01',
  plugins: join(here, '..', 'ansible', 'roles', 'jenkins', 'files', 'plugins.txt'),
  out: join(here, 'plugin-releases.json'),
};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const key = args[i]?.replace(/^--/, '');
  if (!(key in options) || args[i + 1] === undefined) {
    process.stderr.write(
      'usage: refresh-plugin-releases.mjs [--from URL|FILE] [--since YYYY-MM-DD] [--plugins FILE] [--out FILE]\n',
    );
    process.exit(2);
  }
  options[key] = args[i + 1];
}

const pins = new Map(
  readFileSync(options.plugins, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map((line) => line.split(':')),
);

async function load(source) {
  if (!/^https?:/.test(source)) return JSON.parse(readFileSync(source, 'utf8'));
  const response = await fetch(source);
  if (!response.ok) throw new Error(`${source} answered ${response.status}`);
  return response.json();
}

const all = (await load(options.from)).plugins;
const plugins = {};
const problems = [];
for (const [name, pinned] of [...pins].sort(([a], [b]) => a.localeCompare(b))) {
  const versions = all?.[name];
  if (!versions) {
    problems.push(`${name} is not in ${options.from}`);
    continue;
  }
  plugins[name] = {};
  for (const [version, entry] of Object.entries(versions)) {
    const stamp = Date.parse(entry.releaseTimestamp ?? entry.buildDate ?? '');
    const released = Number.isNaN(stamp) ? '' : new Date(stamp).toISOString().slice(0, 10);
    if (released < options.since && version !== pinned) continue;
    plugins[name][version] = { requiredCore: entry.requiredCore, released };
    if (version === pinned)
      plugins[name][version].dependencies = (entry.dependencies ?? []).map((d) => ({
        name: d.name,
        version: d.version,
        optional: Boolean(d.optional),
      }));
  }
  if (!versions[pinned]) problems.push(`${name}:${pinned} is not a release of ${name}`);
}
if (problems.some((p) => p.endsWith(`not in ${options.from}`))) {
  process.stderr.write(`${problems.join('\n')}\n`);
  process.exit(1);
}

const previous = (() => {
  try {
    return JSON.parse(readFileSync(options.out, 'utf8'));
  } catch {
    return {};
  }
})();
const today = new Date().toISOString().slice(0, 10);
const document = {
  about: previous.about ?? 'Real releases of the Jenkins plugins pinned in plugins.txt.',
  source: `Refreshed on ${today} from ${options.from} (releases since ${options.since}).`,
  plugins,
};
writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write(`wrote ${options.out}\n`);
for (const problem of problems) process.stderr.write(`warning: ${problem}\n`);
