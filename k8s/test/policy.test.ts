import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RULES } from './support/policy';
import { parseManifests, render, renderProdWithCanary } from './support/render';
import { describeNeeding } from '../../scripts/lib/test-deps';

const bad = parseManifests(readFileSync(path.join(__dirname, 'fixtures', 'bad.yaml'), 'utf8'));
const rules = Object.entries(RULES);

describeNeeding(['kubectl'], 'policy over the rendered manifests', () => {
  const rendered = {
    'prod with canary': renderProdWithCanary(),
    test: render('overlays/test'),
    local: render('overlays/local'),
  };

  describe.each(Object.entries(rendered))('policy over %s', (_name, objects) => {
    it.each(rules)('when rule %s runs, then nothing breaks it', (_rule, rule) => {
      expect(rule(objects)).toEqual([]);
    });
  });
});

describe('policy rules against a bad fixture', () => {
  it.each(rules)(
    'when rule %s meets the bad fixture, then it reports a violation',
    (_rule, rule) => {
      expect(rule(bad).length).toBeGreaterThan(0);
    },
  );

  it('when the fixture is checked, then each specific defect is named', () => {
    const all = rules.flatMap(([, rule]) => rule(bad));
    for (const expected of [
      'Deployment bad: strategy must be RollingUpdate with maxUnavailable 0, maxSurge 1',
      'bad/app: liveness and readiness probe the same path /readyz',
      'bad/app: liveness must not check dependencies (/readyz)',
      'bad/app: no limits.memory',
      'bad/app: preStop 5s < 10s',
      'bad: grace 20s < preStop 5s + 25s drain',
      'bad/app: image example/bad:latest uses latest',
      'Service orphan: selector matches no pod template',
      'Service bad: targetPort http is not a named port of every selected pod',
      'bad: ConfigMap/missing-config does not exist',
      'bad: Secret/bad-secret has no key missing-key',
      'no default-deny NetworkPolicy (empty podSelector, Ingress and Egress, no rules)',
      'Deployment bad: sets replicas 2 under HPA bad',
      'bad/app: adds capabilities',
    ]) {
      expect(all).toContain(expected);
    }
  });
});
