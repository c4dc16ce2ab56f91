import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dockerfileProblems } from './support/dockerfile';
import { isIgnored, loadDockerignore, parseDockerignore } from './support/dockerignore';
import { REPO_DIR } from './support/render';
import { NODE_FLAGS } from '../../scripts/lib/node-flags';

/** Every image the repository builds: `<folder>/Dockerfile` (nginx's included once it exists). */
const dockerfiles = readdirSync(REPO_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('.') && d.name !== 'node_modules')
  .flatMap((d) =>
    readdirSync(path.join(REPO_DIR, d.name))
      .filter((f) => f === 'Dockerfile')
      .map((f) => `${d.name}/${f}`),
  );

const ignore = loadDockerignore(REPO_DIR);
/** The checks for `<folder>/Dockerfile`: a Node service's CMD must pass that service's flags. */
const optionsFor = (folder: string) => ({
  context: REPO_DIR,
  ignore,
  nodeFlags: folder === 'backend' || folder === 'frontend' ? NODE_FLAGS[folder] : [],
});

describe('Dockerfiles', () => {
  it('when the repository is scanned, then both Node services have a Dockerfile', () => {
    expect(dockerfiles).toEqual(
      expect.arrayContaining(['backend/Dockerfile', 'frontend/Dockerfile']),
    );
  });

  it.each(dockerfiles)('when %s is parsed, then it follows every image rule', (file) => {
    const options = optionsFor(path.dirname(file));
    expect(dockerfileProblems(readFileSync(path.join(REPO_DIR, file), 'utf8'), options)).toEqual(
      [],
    );
  });

  it('when a Dockerfile breaks the rules, then each breach is reported', () => {
    const text = readFileSync(path.join(__dirname, 'fixtures', 'bad.Dockerfile'), 'utf8');
    expect(dockerfileProblems(text, optionsFor('frontend')).sort()).toEqual(
      [
        'FROM node:22: base image must be pinned to an exact version or digest',
        'FROM node:22-slim: base image must be pinned to an exact version or digest',
        'ARG DB_PASSWORD: secrets must not be baked into images',
        'ENV API_TOKEN: secrets must not be baked into images',
        'COPY no-such-directory: not in the build context (missing or excluded by .dockerignore)',
        'COPY node_modules: not in the build context (missing or excluded by .dockerignore)',
        'final stage must end with a non-root USER',
        'final stage has no HEALTHCHECK',
        'final stage needs an exec-form CMD',
        'final stage has no org.opencontainers.image.source label',
        'final stage has no org.opencontainers.image.revision label',
        'final stage has no org.opencontainers.image.version label',
        'no stage runs npm ci',
        'runtime stage installs packages itself',
        'node_modules from stage build must come from npm ci --omit=dev',
        `CMD must be ${JSON.stringify(['node', ...NODE_FLAGS.frontend, 'dist/server.js'])}`,
      ].sort(),
    );
  });
});

describe('the backend test image', () => {
  const backendTests = path.join(REPO_DIR, 'backend', 'test');
  const stage = (text: string, name: string) =>
    text.slice(
      text.indexOf(` AS ${name}\n`),
      text.indexOf('\nFROM ', text.indexOf(` AS ${name}\n`)),
    );

  it('when the test stage is read, then it installs no database server: it runs against the one its URL names', () => {
    const test = stage(readFileSync(path.join(REPO_DIR, 'backend', 'Dockerfile'), 'utf8'), 'test');
    expect(test).toMatch(/^COPY backend\/test backend\/test$/m);
    expect(test).not.toMatch(/install-test-deps|apt-get|mariadb|mysql-server/);
  });

  it('when a backend suite starts a database server of its own, then it is declared with describeWithOwnServer, which skips it, saying so, where TEST_DATABASE_URL is set', () => {
    const undeclared = readdirSync(backendTests)
      .filter((f) => f.endsWith('.test.ts'))
      .filter((f) => {
        const text = readFileSync(path.join(backendTests, f), 'utf8');
        return /\bstartMariaDB\(/.test(text) && !/^describeWithOwnServer\(/m.test(text);
      });
    expect(undeclared).toEqual([]);
    const harness = readFileSync(path.join(backendTests, 'support', 'harness.ts'), 'utf8');
    expect(harness).toMatch(/ownsServers = .*!process\.env\.TEST_DATABASE_URL/);
    expect(harness).toMatch(/describe\.skip\(`\$\{title\} \[skipped: \$\{why\}\]`/);
  });
});

describe('service start commands', () => {
  it.each(['backend', 'frontend'] as const)(
    'when %s is started with npm start, then it runs with the same V8 flags as its image',
    (service) => {
      const manifest = JSON.parse(
        readFileSync(path.join(REPO_DIR, service, 'package.json'), 'utf8'),
      ) as { scripts: Record<string, string> };
      expect(manifest.scripts.start).toContain(
        `node ${NODE_FLAGS[service].join(' ')} dist/server.js`,
      );
    },
  );
});

describe('.dockerignore', () => {
  it('when the build context is computed, then sources go in and local state stays out', () => {
    const rules = loadDockerignore(REPO_DIR);
    expect(isIgnored(rules, 'backend/src/server.ts')).toBe(false);
    expect(isIgnored(rules, 'package-lock.json')).toBe(false);
    for (const p of [
      'node_modules/x/index.js',
      'backend/node_modules/x',
      'backend/dist/server.js',
      '.git/HEAD',
      'backend/data/tradepost.db',
      '.env',
      'compose/secrets.example/db_password',
      'infra/terraform/main.tf',
    ]) {
      expect([p, isIgnored(rules, p)]).toEqual([p, true]);
    }
  });

  it('when a later line re-includes a path, then the last matching line wins', () => {
    const rules = parseDockerignore('*\n!app/\napp/**/*.log\n');
    expect(isIgnored(rules, 'app/a.ts')).toBe(false);
    expect(isIgnored(rules, 'app/x/b.log')).toBe(true);
    expect(isIgnored(rules, 'other.ts')).toBe(true);
  });
});
