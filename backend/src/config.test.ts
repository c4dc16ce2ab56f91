import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, describeDatabase, loadConfig } from './config';

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

  it('when only one of ADMIN_EMAIL and ADMIN_PASSWORD is set, then it is refused', () => {
    expect(() => loadConfig({ ADMIN_EMAIL: 'a@b.co' })).toThrow(/ADMIN_EMAIL and ADMIN_PASSWORD/);
  });
});
