import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('when nothing is set, then the local defaults apply', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.backend.baseUrl).toBe('http://127.0.0.1:4000');
    expect(config.cookieSecretGenerated).toBe(true);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('when a variable is malformed, then start-up fails naming it', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ BACKEND_URL: 'ftp://x' })).toThrow(/BACKEND_URL/);
    expect(() => loadConfig({ COOKIE_SECRET: 'short' })).toThrow(/COOKIE_SECRET/);
  });

  it('when running in production without a cookie secret, then start-up fails', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
  });

  it('when COOKIE_SECRET_FILE is set, then the secret is read from that file; both set is an error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fe-config-'));
    try {
      const file = path.join(dir, 'secret');
      writeFileSync(file, 'a-file-secret-that-is-long-enough-1234567\n');
      const config = loadConfig({ COOKIE_SECRET_FILE: file, NODE_ENV: 'production' });
      expect(config.cookieSecret).toBe('a-file-secret-that-is-long-enough-1234567');
      expect(config.cookieSecretGenerated).toBe(false);
      expect(() => loadConfig({ COOKIE_SECRET_FILE: file, COOKIE_SECRET: 'x'.repeat(40) })).toThrow(
        /COOKIE_SECRET and COOKIE_SECRET_FILE are both set/,
      );
      expect(() => loadConfig({ COOKIE_SECRET_FILE: path.join(dir, 'missing') })).toThrow(
        /COOKIE_SECRET_FILE/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('unsafe secrets in production', () => {
  const examples = path.join(__dirname, '..', '..', 'compose', 'secrets.example');

  it('when COOKIE_SECRET is the published compose example, then production refuses to start naming it', () => {
    const example = readFileSync(path.join(examples, 'cookie_secret'), 'utf8').trim();
    expect(() => loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: example })).toThrow(
      /COOKIE_SECRET: is a published example/,
    );
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        COOKIE_SECRET_FILE: path.join(examples, 'cookie_secret'),
      }),
    ).toThrow(/COOKIE_SECRET/);
  });

  it('when COOKIE_SECRET is a placeholder or shorter than 32 bytes, then it is refused', () => {
    for (const secret of [
      'changeme'.repeat(5),
      'x'.repeat(40),
      'please-replace-me-with-something-long',
    ]) {
      expect(() => loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: secret })).toThrow(
        /COOKIE_SECRET/,
      );
    }
    expect(() => loadConfig({ COOKIE_SECRET: 'a'.repeat(31) })).toThrow(/at least 32 bytes/);
  });

  it('when COOKIE_SECRET is random and long enough, then production starts', () => {
    const secret = randomBytes(32).toString('hex');
    expect(loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: secret }).cookieSecret).toBe(secret);
  });
});
