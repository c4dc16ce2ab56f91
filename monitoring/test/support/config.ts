import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export const MONITORING_DIR = path.resolve(__dirname, '..', '..');
export const REPO_DIR = path.resolve(MONITORING_DIR, '..');
export const PROMETHEUS_DIR = path.join(MONITORING_DIR, 'prometheus');
export const RULES_DIR = path.join(PROMETHEUS_DIR, 'rules');
export const RULE_TESTS_DIR = path.join(PROMETHEUS_DIR, 'tests');
export const DASHBOARD_FILE = path.join(MONITORING_DIR, 'grafana', 'dashboards', 'tradepost.json');

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  rules: Rule[];
}
export interface RuleFile {
  file: string;
  groups: RuleGroup[];
}

export const yamlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort()
    .map((f) => path.join(dir, f));

export function loadRuleFiles(): RuleFile[] {
  return yamlFiles(RULES_DIR).map((file) => ({
    file: path.basename(file),
    ...(parse(readFileSync(file, 'utf8')) as { groups: RuleGroup[] }),
  }));
}

export const allRules = (files = loadRuleFiles()) =>
  files.flatMap((f) => f.groups.flatMap((g) => g.rules.map((rule) => ({ file: f.file, rule }))));

export interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts?: { exp_labels?: Record<string, string> }[];
}

/** Every alert_rule_test in the promtool unit test files. */
export function loadAlertTests(): AlertTest[] {
  return yamlFiles(RULE_TESTS_DIR).flatMap((file) => {
    const doc = parse(readFileSync(file, 'utf8')) as { tests: { alert_rule_test?: AlertTest[] }[] };
    return doc.tests.flatMap((t) => t.alert_rule_test ?? []);
  });
}

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
  panels?: Panel[];
}

/** Every query of the Grafana dashboard, with the panel it belongs to. */
export function dashboardQueries(): { panel: string; expr: string }[] {
  const dashboard = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8')) as { panels: Panel[] };
  const flat = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...flat(p.panels ?? [])]);
  return flat(dashboard.panels).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })),
  );
}

/** Grafana's interval variables, as a short local run can evaluate them. */
export const withGrafanaVariables = (expr: string, rate = '1m', range = '5m') =>
  expr.replaceAll('$__rate_interval', rate).replaceAll('$__range', range);
