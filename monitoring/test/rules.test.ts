import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { prometheusConfig } from '../../scripts/lib/monitoring';
import {
  allRules,
  loadAlertTests,
  loadRuleFiles,
  PROMETHEUS_DIR,
  REPO_DIR,
  RULE_TESTS_DIR,
  RULES_DIR,
  yamlFiles,
} from './support/config';
import { metricNames } from './support/promql';
import { promtool } from './support/promtool';
import { describeNeeding } from '../../scripts/lib/test-deps';

const alerts = allRules().filter((r) => r.rule.alert !== undefined);
const alertNames = alerts.map((a) => a.rule.alert as string);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tradepost-rules-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');

describeNeeding(['promtool'], 'Prometheus configuration and rules under promtool', () => {
  it('when the compose configuration is checked, then promtool accepts it and every rule file', () => {
    const run = promtool(['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
    expect(run.output).toContain('SUCCESS');
    expect(run.code).toBe(0);
    for (const file of yamlFiles(RULES_DIR)) expect(run.output).toContain(path.basename(file));
  });

  it('when the local stack configuration is generated, then promtool accepts it with the same rules', () => {
    const file = path.join(tmp, 'local.yml');
    const config = prometheusConfig({
      backend: ['127.0.0.1:4000'],
      frontend: ['127.0.0.1:3001', '127.0.0.1:3002'],
      nginx: ['127.0.0.1:9113'],
      scrapeInterval: '1s',
    });
    writeFileSync(file, JSON.stringify(config));
    const run = promtool(['check', 'config', file]);
    expect(run.code).toBe(0);
    const compose = parse(readFileSync(path.join(PROMETHEUS_DIR, 'prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string }[];
    };
    const jobs = (c: { scrape_configs: { job_name: string }[] }) =>
      c.scrape_configs.map((s) => s.job_name).filter((j) => j !== 'prometheus');
    expect(jobs(config as unknown as typeof compose)).toEqual(jobs(compose));
  });

  it('when the rule files are checked, then every rule parses', () => {
    const run = promtool(['check', 'rules', ...yamlFiles(RULES_DIR)]);
    expect(run.output).not.toContain('FAILED');
    expect(run.code).toBe(0);
  });

  it('when a rule has a syntax error, then promtool check rules rejects it', () => {
    const run = promtool(['check', 'rules', path.join(__dirname, 'fixtures', 'broken.rules.yml')]);
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/unclosed left parenthesis|parse error/);
  });

  it('when the alert unit tests run, then every expectation holds', () => {
    const run = promtool(['test', 'rules', ...yamlFiles(RULE_TESTS_DIR)]);
    expect(run.output).not.toContain('FAILED');
    expect(run.code).toBe(0);
  });

  it('when a unit test expects an alert too early, then promtool test rules fails', () => {
    const file = path.join(tmp, 'early.test.yml');
    writeFileSync(
      file,
      [
        `rule_files: [${JSON.stringify(path.join(RULES_DIR, 'services.yml'))}]`,
        'tests:',
        '  - interval: 1m',
        '    input_series:',
        `      - series: 'up{job="backend",instance="b:4000"}'`,
        `        values: '0 0 0 0 0'`,
        '    alert_rule_test:',
        '      - eval_time: 1m',
        '        alertname: TradepostTargetDown',
        '        exp_alerts:',
        '          - exp_labels: { severity: critical, job: backend, instance: b:4000 }',
      ].join('\n'),
    );
    const run = promtool(['test', 'rules', file]);
    expect(run.code).not.toBe(0);
    expect(run.output).toContain('FAILED');
  });
});

describe('the PromQL lexer behind the exported-metrics check', () => {
  it('when an expression is lexed, then functions, labels, keywords and ranges are not taken for metrics', () => {
    expect(
      metricNames(
        'sum by (job, le) (rate(http_requests_total{route!~"/a|up"}[$__rate_interval])) / on (job) group_left (x) up > bool 0 and job:ratio_rate5m offset 5m',
      ),
    ).toEqual(['http_requests_total', 'job:ratio_rate5m', 'up']);
  });
});

describe('alert coverage and runbooks', () => {
  const tests = loadAlertTests();
  const operating = readFileSync(path.join(REPO_DIR, 'docs', 'operating.md'), 'utf8');
  const anchors = new Set(
    [...operating.matchAll(/^#{2,4} (.+)$/gm)].map((m) => anchor(m[1] ?? '')),
  );

  it("when the rules are listed, then the issue's alerts are all there", () => {
    expect(alertNames).toEqual(
      expect.arrayContaining([
        'TradepostErrorBudgetBurnFast',
        'TradepostErrorBudgetBurnSlow',
        'TradepostFrontendLatencyHigh',
        'TradepostBackendLatencyHigh',
        'TradepostPodRestarting',
        'TradepostPodCrashLooping',
        'TradepostContainerCpuHigh',
        'TradepostContainerMemoryHigh',
        'TradepostNodeDiskHigh',
        'TradepostRdsFreeStorageLow',
        'TradepostRdsConnectionsHigh',
      ]),
    );
    expect(new Set(alertNames).size).toBe(alertNames.length);
  });

  it.each(alertNames)(
    'when %s is unit tested, then a case fires it and a case keeps it quiet',
    (name) => {
      const mine = tests.filter((t) => t.alertname === name);
      expect(mine.some((t) => (t.exp_alerts ?? []).length > 0)).toBe(true);
      expect(mine.some((t) => (t.exp_alerts ?? []).length === 0)).toBe(true);
    },
  );

  it.each(alerts.map((a) => [a.rule.alert, a.rule] as const))(
    'when %s is read, then it has a severity, a summary, a description and a runbook section',
    (name, rule) => {
      expect(['critical', 'warning']).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary).toBeTruthy();
      expect(rule.annotations?.description).toBeTruthy();
      const url = rule.annotations?.runbook_url ?? '';
      expect(url).toBe(
        `https://github.com/tradepost/tradepost/blob/main/docs/operating.md#${String(name).toLowerCase()}`,
      );
      expect(anchors).toContain(String(name).toLowerCase());
    },
  );

  it("when platform rules are read, then each reads only its exporter's metrics", () => {
    const sources: Record<string, RegExp> = {
      'kubernetes.yml': /^(kube_|container_|node_)/,
      'rds.yml': /^aws_rds_/,
    };
    const stray = loadRuleFiles()
      .filter((f) => f.file in sources)
      .flatMap((f) =>
        f.groups.flatMap((g) =>
          g.rules.flatMap((r) =>
            metricNames(r.expr)
              .filter((m) => !sources[f.file]?.test(m))
              .map((m) => `${f.file} ${r.alert ?? r.record}: ${m}`),
          ),
        ),
      );
    expect(stray).toEqual([]);
  });
});
