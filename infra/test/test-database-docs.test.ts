import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import {
  APP_SCHEMA,
  TEST_USER,
  TEST_USER_STATEMENTS,
} from '../../backend/test/support/test-database';

const ROOT = path.join(__dirname, '..', '..');
const GRANTS = TEST_USER_STATEMENTS.filter((s) => s.startsWith('GRANT '));

// Lives with the infra checks, not the backend suite: the backend's test image
// carries only the backend, and this compares a document outside it.
describe('the test database user, as infra/README.md tells the operator to create it', () => {
  it('when the operator follows the README, then they run exactly the statements the suites run under', () => {
    const readme = readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const documented = readme
      .split('\n')
      .filter((line) => /^(CREATE USER|GRANT) .*'tradepost_test'/.test(line));
    expect(documented).toEqual(TEST_USER_STATEMENTS);
  });
});

interface Service {
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
}

describe('the compose test profile’s database user', () => {
  const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
    services: Record<string, Service>;
    secrets: Record<string, { file: string }>;
  };
  const db = compose.services['test-db'];

  it('when test-db initialises, then the suite’s user gets exactly the documented grants: the entrypoint’s on its database, the init script’s on tp\\_test\\_%', () => {
    expect(db.environment).toMatchObject({
      MYSQL_USER: TEST_USER,
      MYSQL_DATABASE: APP_SCHEMA,
      MYSQL_PASSWORD_FILE: '/run/secrets/test_db_password',
    });
    // What the MySQL image's entrypoint grants MYSQL_USER (docker-library/mysql: `GRANT ALL ON
    // \`${MYSQL_DATABASE//_/\\_}\`.*`), as the README writes it.
    const fromEntrypoint = `GRANT ALL PRIVILEGES ON \`${APP_SCHEMA.replace(/_/g, '\\_')}\`.* TO '${TEST_USER}'@'%';`;
    const mounts = (db.volumes ?? []).map((v) => v.split(':'));
    expect(mounts).toEqual([
      [
        './compose/test-db/tp-test-databases.sql',
        '/docker-entrypoint-initdb.d/tp-test-databases.sql',
        'ro',
      ],
    ]);
    const script = readFileSync(path.join(ROOT, mounts[0][0]), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('--'));
    expect([fromEntrypoint, ...script]).toEqual(GRANTS);
  });

  it('when backend-tests runs, then it connects as that user to test-db and never holds the root password', () => {
    const tests = compose.services['backend-tests'];
    expect(tests.secrets).toEqual(['test_database_url']);
    const example = readFileSync(
      path.join(ROOT, compose.secrets.test_database_url.file.replace(/^\$\{[^}]*:-(.*)\}/, '$1')),
      'utf8',
    ).trim();
    const password = readFileSync(
      path.join(ROOT, 'compose', 'secrets.example', 'test_db_password'),
      'utf8',
    ).trim();
    expect(example).toBe(`mysql://${TEST_USER}:${password}@test-db:3306/${APP_SCHEMA}`);
  });

  it('when fresh secrets are made, then the test URL names that user with its own password, not the root one', () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'compose-secrets-')), 'secrets');
    try {
      execFileSync(path.join(ROOT, 'compose', 'make-secrets.sh'), [dir], { stdio: 'pipe' });
      const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
      const url = new URL(read('test_database_url'));
      expect(url.username).toBe(TEST_USER);
      expect(url.password).toBe(read('test_db_password'));
      expect(url.password).not.toBe(read('db_root_password'));
      expect(url.password).not.toBe(read('db_password'));
      expect(`${url.host}${url.pathname}`).toBe(`test-db:3306/${APP_SCHEMA}`);
      expect(Object.keys(compose.secrets)).toContain('test_db_password');
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });
});

describe('database URLs for RDS, wherever they are documented', () => {
  /** Files that tell an operator what to put in a database URL. */
  const documents = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((d) => d.isFile() && /\.(md|ya?ml|tf)$/.test(d.name))
      .map((d) => path.relative(ROOT, path.join(d.parentPath, d.name)))
      .filter((f) => !/(^|\/)(test|node_modules|\.terraform)\//.test(f));

  it('when a URL names an RDS endpoint, then it ends in ?ssl=rds (RDS requires TLS; the backend verifies it only when asked)', () => {
    const files = ['README.md', 'infra/README.md', ...documents('docs'), ...documents('k8s')];
    const found = files.flatMap((file) =>
      [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(/mysql:\/\/(?:<[^>]*>|[^\s"'`<])+/g)]
        .map((m) => m[0])
        .filter((url) => /rds-endpoint|database_address|rds\.amazonaws\.com/.test(url))
        .map((url) => ({ file, url })),
    );
    expect(found.length).toBeGreaterThan(3);
    expect(found.filter(({ url }) => !url.endsWith('?ssl=rds'))).toEqual([]);
    expect(found.map((f) => f.file)).toContain(
      'k8s/components/external-secrets/backend-externalsecret.yaml',
    );
  });
});
