import path from 'node:path';
import { loadCompose } from './support/compose';
import { backendTestNames, configNames, nginxNames, unknownNames } from './support/config-names';
import { render, REPO_DIR, TARGETS } from './support/render';
import { containersOf, workloads } from './support/workloads';
import { describeNeeding } from '../../scripts/lib/test-deps';

const compose = loadCompose(path.join(REPO_DIR, 'docker-compose.yml'));
const backend = configNames('backend');
const frontend = configNames('frontend');
const nginx = nginxNames();

/** What each image's process reads; null when that image's files are not in the repo yet. */
function knownFor(image: string): Set<string> | null {
  if (image.includes('tradepost-backend')) return backend;
  if (image.includes('tradepost-frontend')) return frontend;
  if (image.includes('tradepost-nginx')) return nginx;
  return null;
}

describe('environment names match what each service reads', () => {
  it('when config.ts is scanned, then the names the deployment relies on are found', () => {
    expect([...backend]).toEqual(
      expect.arrayContaining(['DATABASE_URL_FILE', 'ADMIN_PASSWORD_FILE', 'PORT']),
    );
    expect([...frontend]).toEqual(expect.arrayContaining(['COOKIE_SECRET_FILE', 'BACKEND_URL']));
    expect(backend.has('COOKIE_SECRET_FILE')).toBe(false);
  });

  it.each(['migrate', 'backend', 'frontend', 'nginx'])(
    'when compose sets %s environment, then the service reads every name',
    (name) => {
      const service = compose.services[name];
      const known = knownFor(service.image ?? '');
      if (!known) return;
      expect(unknownNames(Object.keys(service.environment ?? {}), known)).toEqual([]);
    },
  );

  it('when the compose test runner is configured, then the backend harness reads its variables', () => {
    const names = backendTestNames();
    const vars = Object.keys(compose.services['backend-tests'].environment ?? {}).map((n) =>
      n.replace(/_FILE$/, ''),
    );
    expect(unknownNames(vars, names)).toEqual([]);
  });

  describeNeeding(['kubectl'], 'the rendered manifests', () => {
    it.each(TARGETS.filter((t) => t !== 'canary'))(
      'when %s sets container environment, then the service reads every name',
      (target) => {
        const objects = render(target);
        const configMaps = new Map(
          objects
            .filter((o) => o.kind === 'ConfigMap')
            .map((o) => [o.metadata.name, Object.keys(o.data ?? {})]),
        );
        const unknown = workloads(objects).flatMap((w) =>
          containersOf(w).flatMap((c) => {
            const known = knownFor(c.image);
            if (!known) return [];
            const names = [
              ...(c.env ?? []).map((e) => e.name),
              ...(c.envFrom ?? []).flatMap((e) => configMaps.get(e.configMapRef?.name ?? '') ?? []),
            ];
            return unknownNames(names, known).map((n) => `${w.name}/${c.name}: ${n}`);
          }),
        );
        expect(unknown).toEqual([]);
      },
    );
  });

  it('when a name is misspelt, then it is reported as unknown', () => {
    expect(unknownNames(['DATABASE_URL_FILE', 'DATABSE_URL'], backend)).toEqual(['DATABSE_URL']);
  });
});
