import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../backend/src/config';

/** The placeholder secrets compose publishes, as a stranger would copy them. */
const examples = path.join(__dirname, '..', '..', 'compose', 'secrets.example');
const example = (name: string) => readFileSync(path.join(examples, name), 'utf8').trim();

describe('the published example secrets in production', () => {
  it('when ADMIN_PASSWORD is the published compose example, then production refuses to start naming it', () => {
    const env = { NODE_ENV: 'production', ADMIN_EMAIL: 'a@b.example' };
    expect(() => loadConfig({ ...env, ADMIN_PASSWORD: example('admin_password') })).toThrow(
      /ADMIN_PASSWORD: is the published example/,
    );
    expect(() =>
      loadConfig({ ...env, ADMIN_PASSWORD_FILE: path.join(examples, 'admin_password') }),
    ).toThrow(/ADMIN_PASSWORD/);
    // Outside production the example still works, for a look on a laptop.
    expect(
      loadConfig({ ...env, NODE_ENV: 'development', ADMIN_PASSWORD: example('admin_password') })
        .admin,
    ).not.toBeNull();
  });

  it('when DATABASE_URL carries the published example password, then production refuses to start naming it', () => {
    for (const name of ['database_url', 'test_database_url'])
      expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: example(name) })).toThrow(
        /DATABASE_URL: uses the published example password/,
      );
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'mysql://app:s3cr3t-0f-our-own@db/tp' })
        .database.client,
    ).toBe('mysql');
  });
});
