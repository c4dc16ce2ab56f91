#!/usr/bin/env node
// Two builds of Tradepost side by side: each checkout's own seeded stack (private MariaDB,
// backend, 3 frontends, nginx) up at once, and wrk's runs alternated between them round by
// round, so a change is measured before and after in one run, under the same load on the
// machine. Each checkout must be built (`npm run build`) and have its node_modules.
//   node bench/compare.mjs --before ../tradepost-old [--after .] [--rounds 8 --duration 10
//     --connections 64 --orders 100000 --scenarios page,post]
// Prints one table on stdout (progress goes to stderr).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { addOrderPost } from './lib/add-order.mjs';
import { machine, markdownTable } from './lib/table.mjs';

const { values } = parseArgs({
  options: {
    before: { type: 'string' },
    after: { type: 'string', default: '.' },
    rounds: { type: 'string', default: '8' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    orders: { type: 'string', default: '100000' },
    scenarios: { type: 'string', default: 'page,post' },
  },
});
const say = (line) => process.stderr.write(`${line}\n`);
const rounds = Number(values.rounds);
const durationS = Number(values.duration);
const connections = Number(values.connections);
const scenarios = values.scenarios.split(',');
const known = ['page', 'post'];
if (
  !values.before ||
  !(rounds >= 1) ||
  !(durationS >= 1) ||
  !(connections >= 1) ||
  !scenarios.every((s) => known.includes(s))
) {
  say(
    'usage: node bench/compare.mjs --before DIR [--after DIR] [--rounds N] [--duration S] [--connections N] [--orders N] [--scenarios page,post]',
  );
  process.exit(2);
}
const started = Date.now();

/** A checkout's own benchmark helpers, so each stack runs the code of its build. */
async function helpers(dir) {
  const lib = (name) => import(pathToFileURL(path.resolve(dir, 'bench/lib', name)).href);
  const [stack, signIn, wrk, proc] = await Promise.all(
    ['stack.mjs', 'sign-in.mjs', 'wrk.mjs', 'proc.mjs'].map(lib),
  );
  return { stack, signIn, wrk, proc };
}

/** wrk's options for one scenario against one stack. */
function scenario(name, { url, auth }) {
  if (name === 'page') return { url: `${url}/orders?page=1`, headers: auth.headers };
  return addOrderPost(url, auth);
}

const builds = [
  { label: 'before', dir: values.before },
  { label: 'after', dir: values.after },
];
const results = new Map(); // `${scenario} ${label}` → runs
try {
  for (const build of builds) {
    build.lib = await helpers(build.dir);
    say(`${build.label} (${path.resolve(build.dir)}):`);
    build.stack = await build.lib.stack.startSeededStack({
      orders: Number(values.orders),
      messages: 10000,
      say,
    });
    build.auth = await build.lib.signIn.signInThroughNginx(build.stack.url);
    build.groups = build.lib.stack.processGroups(build.stack);
  }
  const wrk = (build, name, seconds) =>
    build.lib.wrk.wrk({
      connections,
      durationS: seconds,
      ...scenario(name, { url: build.stack.url, auth: build.auth }),
    });
  say('warming both stacks up…');
  for (const build of builds) for (const name of scenarios) await wrk(build, name, 8);
  for (let round = 1; round <= rounds; round += 1) {
    // Alternate which build goes first, so neither always follows the other.
    const order = round % 2 ? builds : [...builds].reverse();
    for (const name of scenarios) {
      for (const build of order) {
        await wrk(build, name, 2);
        const run = await build.lib.proc.withCpuPerRequest(build.groups, () =>
          wrk(build, name, durationS),
        );
        const total = Object.values(run.cpu).reduce((sum, ms) => sum + ms, 0);
        say(
          `  round ${round}/${rounds} ${name} ${build.label}: ${run.rps} req/s, ${total.toFixed(2)} CPU ms/req`,
        );
        const key = `${name} ${build.label}`;
        results.set(key, [...(results.get(key) ?? []), { ...run, total }]);
      }
    }
  }
} finally {
  for (const build of builds) await build.stack?.stop();
}

const mean = (runs, pick) => runs.reduce((sum, r) => sum + pick(r), 0) / runs.length;
const rows = scenarios.map((name) => {
  const [before, after] = builds.map((b) => results.get(`${name} ${b.label}`));
  const rps = [before, after].map((runs) => mean(runs, (r) => r.rps));
  const cpu = (runs, group) => mean(runs, (r) => (group ? r.cpu[group] : r.total)).toFixed(2);
  return [
    name === 'page' ? 'orders page 1' : 'add-order POST',
    Math.round(rps[0]),
    Math.round(rps[1]),
    `${(100 * (rps[1] / rps[0] - 1)).toFixed(1)} %`,
    after.filter((r, i) => r.rps < before[i].rps).length + ` of ${rounds}`,
    `${cpu(before, 'frontends')} → ${cpu(after, 'frontends')}`,
    `${cpu(before)} → ${cpu(after)}`,
  ];
});
const table = [
  `Before (${values.before}) and after (${values.after}), both stacks up at once, ${rounds} rounds of wrk alternated between them: ${values.orders} orders, ${connections} connections, ${durationS} s a run, ${machine()}.`,
  '',
  ...markdownTable(
    [
      'scenario',
      'before req/s',
      'after req/s',
      'change',
      'rounds after was slower',
      'frontends CPU ms/req',
      'whole stack CPU ms/req',
    ],
    rows,
  ),
  '',
  'Means over the rounds. CPU ms/req: CPU time (user + system) per request, the three frontends summed; the whole stack adds the backend, nginx and MariaDB.',
  `Rerun: \`node bench/compare.mjs --before ${values.before} --after ${values.after} --rounds ${rounds} --duration ${durationS}\`.`,
];
process.stdout.write(`${table.join('\n')}\n`);
say(`Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
