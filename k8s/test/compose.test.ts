import path from 'node:path';
import { composeProblems, composeSchemaProblems, loadCompose } from './support/compose';
import { REPO_DIR } from './support/render';

const compose = loadCompose(path.join(REPO_DIR, 'docker-compose.yml'));
const bad = loadCompose(path.join(__dirname, 'fixtures', 'bad-compose.yml'));

describe('docker-compose.yml', () => {
  it('when validated against the Compose Specification schema, then it conforms', () => {
    expect(composeSchemaProblems(compose)).toEqual([]);
  });

  it('when a service has a misspelt or mistyped key, then the schema check rejects it', () => {
    const broken = {
      services: {
        app: { image: 'x:1.0.0', helthcheck: { test: ['CMD', 'true'] }, read_only: 'yes' },
      },
    };
    expect(composeSchemaProblems(broken)).toEqual(
      expect.arrayContaining([
        '/services/app must NOT have additional properties',
        '/services/app/read_only must be boolean',
      ]),
    );
  });

  it('when every service is checked, then each is hardened, healthy and ordered', () => {
    expect(composeProblems(compose, REPO_DIR)).toEqual([]);
  });

  it('when a weak compose file is checked, then each defect is reported', () => {
    expect(composeProblems(bad, path.join(__dirname, 'fixtures')).sort()).toEqual(
      [
        'db: read_only must be true',
        'db: needs tmpfs /tmp',
        'db: cap_drop must include ALL',
        'db: security_opt must include no-new-privileges:true',
        'db: publishes 3306:3306 on every interface (bind it to 127.0.0.1 by default)',
        "app: no healthcheck (own or image's)",
        'app: depends_on db needs condition service_healthy or service_completed_successfully',
        'app: secret missing is not defined',
        'worker: read_only must be true',
        'worker: needs tmpfs /tmp',
        'worker: cap_drop must include ALL',
        'worker: security_opt must include no-new-privileges:true',
        "worker: no healthcheck (own or image's)",
        'worker: waits for app to be healthy but app has no healthcheck',
        'worker: waits for db to complete but db restarts',
        "exporter: no healthcheck (own or image's)",
        'exporter: publishes 9113:9113 on every interface (bind it to 127.0.0.1 by default)',
      ].sort(),
    );
  });

  it('when the edge publishes on every interface or a tmpfs sets its owner, then both are reported', () => {
    const edge = {
      image: 'example/edge:1.0.0',
      read_only: true,
      tmpfs: ['/tmp', '/var/cache/edge:uid=101,gid=101'],
      cap_drop: ['ALL'],
      security_opt: ['no-new-privileges:true'],
      healthcheck: { test: ['CMD', 'true'] },
      ports: ['80:8080'],
    };
    expect(composeProblems({ services: { nginx: edge } }, REPO_DIR)).toEqual([
      'nginx: publishes 80:8080 on every interface (bind it to 127.0.0.1 by default)',
      'nginx: tmpfs /var/cache/edge:uid=101,gid=101 sets uid/gid, which only Docker accepts (podman refuses)',
    ]);
  });

  it('when the topology is read, then it is MySQL → migrate once → backend → 3 frontends → nginx on 127.0.0.1:80', () => {
    const s = compose.services;
    expect(s.db.volumes).toEqual(['db-data:/var/lib/mysql']);
    expect(s.db.healthcheck?.test).toEqual(expect.arrayContaining(['mysqladmin', 'ping']));
    expect(s.migrate.command).toEqual(['node', 'dist/db/cli-migrate.js']);
    expect(s.backend.depends_on).toMatchObject({
      migrate: { condition: 'service_completed_successfully' },
      db: { condition: 'service_healthy' },
    });
    expect(s.frontend.deploy?.replicas).toBe(3);
    expect(s.frontend.environment?.BACKEND_URL).toBe('http://backend:4000');
    expect(s.nginx.ports).toEqual(['127.0.0.1:80:8080']);
    expect(s.nginx.environment?.FRONTEND_SERVERS).toBe('frontend:3000');
  });

  it('when the test profile is read, then the suite runs against its own database, not the app one', () => {
    const s = compose.services;
    expect(s['backend-tests'].profiles).toEqual(['test']);
    expect(s['test-db'].profiles).toEqual(['test']);
    expect(s['backend-tests'].build?.target).toBe('test');
    expect(Object.keys(s['backend-tests'].depends_on ?? {})).toEqual(['test-db']);
    // Only its init script, read-only: its data is on tmpfs and goes with it.
    expect(s['test-db'].volumes?.every((v) => v.endsWith(':ro'))).toBe(true);
  });
});
