#!/usr/bin/env node
// `npm run stack [-- --port 8080 --seed --sqlite --tls]`: the whole topology as local
// processes — MariaDB (private, when installed), migrations, the backend, three
// frontend replicas and nginx — until Ctrl-C, which stops everything it started.
// With --tls nginx terminates HTTPS on --https-port with a certificate made at start,
// and --port only redirects there (but for /nginx-health), as in production.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { startStack } = require('./lib/stack.js');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    tls: { type: 'boolean', default: false },
    'https-port': { type: 'string', default: '8443' },
    frontends: { type: 'string', default: '3' },
    seed: { type: 'boolean', default: false },
    sqlite: { type: 'boolean', default: false },
    monitoring: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: npm run stack -- [--port 8080] [--tls [--https-port 8443]] [--frontends 3] [--seed] [--sqlite] [--monitoring]\n',
  );
  process.exit(0);
}
/** @param {string} name */
function portOption(name) {
  const port = Number(values[name]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`--${name} must be a port number, got "${values[name]}"\n`);
    process.exit(2);
  }
  return port;
}
const port = portOption('port');
const httpsPort = portOption('https-port');

const say = (line) => process.stdout.write(`${line}\n`);
let stack;
let monitoring = null;
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  say('\nstopping…');
  await monitoring?.stop();
  await stack?.stop();
  say('stopped');
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  stack = await startStack({
    port,
    tls: values.tls,
    httpsPort,
    frontends: Number(values.frontends),
    database: values.sqlite ? 'sqlite' : 'auto',
    seed: values.seed ? { users: 50, orders: 5000, messages: 2000 } : undefined,
    log: (line) => say(`  ${line}`),
    keepLogs: true,
  });
  if (values.monitoring) {
    const { monitorStack } = require('./lib/monitoring.js');
    monitoring = await monitorStack(stack, {
      port: 9090,
      scrapeInterval: '5s',
      log: (l) => say(`  ${l}`),
    });
  }
} catch (error) {
  process.stderr.write(`stack failed to start: ${error.message}\n`);
  await monitoring?.stop();
  await stack?.stop();
  process.exit(1);
}
say('');
say(`  Tradepost is up: ${stack.url}`);
if (stack.tls) {
  say(`  (${stack.httpUrl} redirects there.) The certificate is signed by a CA made for this run:`);
  say(
    `  trust ${stack.tls.ca} in the browser, or accept its warning; curl --cacert ${stack.tls.ca}`,
  );
}
say(`  Admin: ${stack.admin.email} / ${stack.admin.password}`);
if (values.seed)
  say('  Demo users: demo1@tradepost.test … demo50@tradepost.test / tradepost-demo-password');
if (monitoring) say(`  Prometheus: ${monitoring.url}`);
say(`  Logs: ${stack.logs}`);
say('  Ctrl-C stops everything.');
