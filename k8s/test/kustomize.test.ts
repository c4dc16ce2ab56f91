import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseManifests, render, TARGETS } from './support/render';
import { schemaProblems } from './support/schema';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['kubectl']);

describe('kustomize rendering and Kubernetes schemas', () => {
  it.each(TARGETS)(
    'when %s is rendered, then every object validates against its schema',
    (target) => {
      const objects = render(target);
      expect(objects.length).toBeGreaterThan(0);
      expect(schemaProblems(objects)).toEqual([]);
    },
  );

  it('when objects have wrong types or an unknown kind, then the schema check reports each of them', () => {
    const objects = parseManifests(
      readFileSync(path.join(__dirname, 'fixtures', 'bad.yaml'), 'utf8'),
    );
    const deployment = objects.find((o) => o.kind === 'Deployment');
    if (!deployment) throw new Error('fixture has no Deployment');
    const broken = [
      { ...deployment, spec: { ...deployment.spec, replicas: 'three' } },
      { apiVersion: 'v1', kind: 'Sevrice', metadata: { name: 'typo' } },
    ];
    expect(schemaProblems(broken)).toEqual([
      'Deployment/bad: /spec/replicas must be integer',
      'Sevrice/typo: no schema for v1 Sevrice',
    ]);
  });

  it('when every target is rendered, then no object is left without a namespace', () => {
    for (const target of TARGETS) {
      const unnamespaced = render(target).filter(
        (o) => o.kind !== 'Namespace' && !o.metadata.namespace,
      );
      expect(unnamespaced.map((o) => `${target}: ${o.kind}/${o.metadata.name}`)).toEqual([]);
    }
  });
});
