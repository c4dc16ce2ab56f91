#!/usr/bin/env node
// A private Prometheus (and the nginx exporter) for a running local stack, with the
// rules of monitoring/prometheus/rules, until Ctrl-C. `npm run stack -- --monitoring`
// does the same through monitorStack(); this is for a stack started some other way.
//   node scripts/prometheus.mjs --backend 127.0.0.1:4000 \
//     --frontend 127.0.0.1:3001,127.0.0.1:3002 --nginx-status http://127.0.0.1:8081/stub_status
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { startMonitoring } = require('./lib/monitoring.js');

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: '127.0.0.1:4000' },
    frontend: { type: 'string', default: '127.0.0.1:3000' },
    'nginx-status': { type: 'string' },
    port: { type: 'string', default: '9090' },
    interval: { type: 'string', default: '5s' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write(
    'usage: node scripts/prometheus.mjs [--backend host:port[,…]] [--frontend host:port[,…]]\n' +
      '         [--nginx-status http://host:port/stub_status] [--port 9090] [--interval 5s]\n',
  );
  process.exit(0);
}
const port = Number(values.port);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write(`--port must be a port number, got "${values.port}"\n`);
  process.exit(2);
}
const list = (value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const say = (line) => process.stdout.write(`${line}\n`);

let monitoring;
try {
  monitoring = await startMonitoring({
    backend: list(values.backend),
    frontend: list(values.frontend),
    nginxStatusUrl: values['nginx-status'],
    port,
    scrapeInterval: values.interval,
    log: (line) => say(`  ${line}`),
  });
} catch (error) {
  process.stderr.write(`monitoring failed to start: ${error.message}\n`);
  process.exit(1);
}
say(
  `  Prometheus: ${monitoring.url}/graph  (rules: ${monitoring.url}/rules, alerts: ${monitoring.url}/alerts)`,
);
say(`  Files: ${monitoring.dir}`);
say('  Ctrl-C stops it.');
// Handlers only once running: a Ctrl-C during start-up reaches the children directly.
const stop = async () => {
  await monitoring.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
