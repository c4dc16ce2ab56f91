// @ts-check
/**
 * A private Prometheus (and the nginx exporter) beside the local process stack,
 * scraping the same job names as compose and Kubernetes and loading the same
 * rules, so the dashboard's queries and the alerts can be checked for real.
 * Started and stopped by PID; nothing is left behind but the temp directory.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { freePort, managed } = require('./process');

const RULES_DIR = path.join(__dirname, '..', '..', 'monitoring', 'prometheus', 'rules');
const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'];
const EXPORTER = ['/usr/bin/prometheus-nginx-exporter', '/usr/local/bin/nginx-prometheus-exporter'];

/** @param {string[]} candidates @param {string} pkg */
function find(candidates, pkg) {
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`${candidates[0]} is missing: install the Debian package "${pkg}"`);
  return found;
}

/**
 * The scrape configuration: job names and labels as in monitoring/prometheus/prometheus.yml.
 * JSON is YAML, so no YAML library is needed to write it.
 * @param {{ backend: string[], frontend: string[], nginx: string[], scrapeInterval: string }} targets
 */
function prometheusConfig({ backend, frontend, nginx, scrapeInterval }) {
  const job = (/** @type {string} */ name, /** @type {string[]} */ list) => ({
    job_name: name,
    static_configs: [{ targets: list }],
  });
  return {
    global: {
      scrape_interval: scrapeInterval,
      scrape_timeout: scrapeInterval,
      evaluation_interval: scrapeInterval,
      external_labels: { environment: 'local' },
    },
    rule_files: [path.join(RULES_DIR, '*.yml')],
    scrape_configs: [
      job('backend', backend),
      job('frontend', frontend),
      ...(nginx.length > 0 ? [job('nginx', nginx)] : []),
    ],
  };
}

/**
 * @typedef {object} MonitoringOptions
 * @property {string[]} backend           host:port of each backend
 * @property {string[]} frontend          host:port of each frontend
 * @property {string} [nginxStatusUrl]   nginx's stub_status URL; starts the exporter when set
 * @property {number} [port]             Prometheus port (default: a free port)
 * @property {string} [scrapeInterval]   default 15s
 * @property {(line: string) => void} [log]
 */

/** @param {MonitoringOptions} options */
async function startMonitoring(options) {
  const log = options.log ?? (() => {});
  const prometheusBin = find(PROMETHEUS, 'prometheus');
  const exporterBin = options.nginxStatusUrl ? find(EXPORTER, 'prometheus-nginx-exporter') : null;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tradepost-monitoring-'));
  /** @type {Array<{ stop(): Promise<unknown> }>} */
  const started = [];
  /** @param {string} name @param {string} command @param {string[]} args @param {string} readyUrl */
  const start = async (name, command, args, readyUrl) => {
    const proc = managed({
      name,
      command,
      args,
      cwd: dir,
      env: {},
      logFile: path.join(dir, `${name}.log`),
      readyUrl,
    });
    started.push(proc);
    await proc.start();
    return proc;
  };
  const stop = async () => {
    for (const proc of started.reverse()) await proc.stop();
    started.length = 0;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    /** @type {string[]} */
    const nginx = [];
    let exporterUrl = null;
    if (exporterBin && options.nginxStatusUrl) {
      const port = await freePort();
      exporterUrl = `http://127.0.0.1:${port}`;
      const exporter = await start(
        'nginx-exporter',
        exporterBin,
        [`--nginx.scrape-uri=${options.nginxStatusUrl}`, `--web.listen-address=127.0.0.1:${port}`],
        `${exporterUrl}/metrics`,
      );
      nginx.push(`127.0.0.1:${port}`);
      log(`nginx exporter on ${exporterUrl} (pid ${exporter.pid()})`);
    }
    const configFile = path.join(dir, 'prometheus.yml');
    const config = prometheusConfig({
      backend: options.backend,
      frontend: options.frontend,
      nginx,
      scrapeInterval: options.scrapeInterval ?? '15s',
    });
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    const port = options.port ?? (await freePort());
    const url = `http://127.0.0.1:${port}`;
    const prometheus = await start(
      'prometheus',
      prometheusBin,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-lifecycle',
        '--log.level=warn',
      ],
      `${url}/-/ready`,
    );
    const pid = /** @type {number} */ (prometheus.pid());
    log(`Prometheus on ${url} (pid ${pid})`);
    return { url, exporterUrl, dir, configFile, pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Monitoring for a stack from stack.js.
 * @param {import('./stack').Stack} stack
 * @param {Omit<MonitoringOptions, 'backend' | 'frontend' | 'nginxStatusUrl'>} [options]
 */
function monitorStack(stack, options = {}) {
  return startMonitoring({
    ...options,
    backend: [`127.0.0.1:${stack.backend.port}`],
    frontend: stack.frontends.map((f) => `127.0.0.1:${f.port}`),
    nginxStatusUrl: `http://127.0.0.1:${stack.nginx.statusPort}/stub_status`,
  });
}

module.exports = { startMonitoring, monitorStack, prometheusConfig, RULES_DIR };
