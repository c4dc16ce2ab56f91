import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { createTestCertificates, startMariaDB, type MariaDB } from '../../scripts/lib/mariadb';
import { databaseFromUrl } from '../src/config';
import { createDb, mysqlConnection } from '../src/db/knex';
import { describeWithOwnServer } from './support/harness';
import { adminConnection, mysqlFromUrl } from './support/test-database';

const run = promisify(execFile);
const DIST = path.join(__dirname, '..', 'dist');
const PASSWORD = 'tls-app-password';

/** Connect with the settings the backend derives from `url`; the session's TLS version. */
async function tlsVersionOver(url: string, stream?: net.Socket): Promise<string> {
  // knex types the same mysql2 options a little differently (`flags`), hence the cast.
  const options = mysqlConnection(mysqlFromUrl(url, 'DATABASE_URL')) as mysql.ConnectionOptions;
  const conn = await mysql.createConnection({ ...options, ...(stream ? { stream } : {}) });
  try {
    const [rows] = await conn.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
    return (rows as { Value: string }[])[0]?.Value ?? '';
  } finally {
    await conn.end();
  }
}

const cli = (script: string, url: string, args: string[] = []) =>
  run(process.execPath, [path.join(DIST, script), ...args], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info' },
  }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      out: e.stdout + e.stderr,
    }),
  );

// A server of its own, started as the RDS parameter group configures it: TLS required.
describeWithOwnServer('the database connection on a server that requires TLS', () => {
  let mariadb: MariaDB;
  let otherCa: string;
  let scratch: string;
  /** The app user's URL to this server, with `query` and, by default, the certificate's name. */
  const url = (query: string, host = 'localhost') =>
    `mysql://app:${PASSWORD}@${host}:${mariadb.port}/tls_app${query}`;
  const ca = () => `?ssl-ca=${encodeURIComponent(mariadb.tls!.ca)}`;

  beforeAll(async () => {
    mariadb = await startMariaDB({ tls: true, bufferPool: '32M' });
    scratch = mkdtempSync(path.join(os.tmpdir(), 'tradepost-tls-'));
    otherCa = createTestCertificates(scratch).ca;
    const admin = adminConnection(mariadb.url);
    try {
      // No REQUIRE SSL on the user: a refused plain connection is the server's transport rule.
      await admin.raw(`CREATE USER 'app'@'%' IDENTIFIED BY '${PASSWORD}'`);
      await admin.raw('CREATE DATABASE tls_app');
      await admin.raw("GRANT ALL PRIVILEGES ON tls_app.* TO 'app'@'%'");
    } finally {
      await admin.destroy();
    }
  }, 60000);

  afterAll(async () => {
    await mariadb?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('when the URL asks for no TLS, then the server refuses the connection', async () => {
    await expect(tlsVersionOver(url(''))).rejects.toMatchObject({
      code: expect.stringMatching(/^(ER_ACCESS_DENIED_ERROR|ER_SECURE_TRANSPORT_REQUIRED)$/),
    });
  });

  it('when ssl-ca names the CA of the server, then the same user connects over TLS', async () => {
    expect(await tlsVersionOver(url(ca()))).toMatch(/^TLSv1\.[23]$/);
  });

  it('when ssl-ca names another CA, then the client refuses the server before sending credentials', async () => {
    await expect(
      tlsVersionOver(url(`?ssl-ca=${encodeURIComponent(otherCa)}`)),
    ).rejects.toMatchObject({
      code: 'HANDSHAKE_SSL_ERROR',
      message: expect.stringMatching(/self[- ]signed certificate in certificate chain/),
    });
  });

  it('when the certificate is for another host name, then the client refuses the server', async () => {
    // The socket goes to this server; mysql2 checks the certificate against `host`.
    const to = () => net.connect(mariadb.port, '127.0.0.1');
    expect(await tlsVersionOver(url(ca()), to())).toMatch(/^TLSv1/);
    await expect(tlsVersionOver(url(ca(), 'db.example.test'), to())).rejects.toMatchObject({
      code: 'HANDSHAKE_SSL_ERROR',
      message: expect.stringMatching(/Host: db\.example\.test\. is not in the cert's altnames/),
    });
  });

  it('when ssl=rds, then a server whose certificate is not from an RDS CA is refused', async () => {
    await expect(tlsVersionOver(url('?ssl=rds'))).rejects.toMatchObject({
      code: 'HANDSHAKE_SSL_ERROR',
    });
  });

  it('when the backend pool, the migration CLI and the seed CLI are given the URL, then all three connect with its TLS, and never log the password', async () => {
    const db = createDb(databaseFromUrl(url(ca())), 2);
    try {
      const [rows] = (await db.raw("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) as [
        { Value: string }[],
      ];
      expect(rows[0]?.Value).not.toBe('');
    } finally {
      await db.destroy();
    }

    const migrated = await cli('db/cli-migrate.js', url(ca()));
    expect(migrated).toMatchObject({ code: 0, out: expect.stringContaining('app:***@localhost') });
    const seeded = await cli('seed/cli-seed.js', url(ca()), ['--users', '2', '--orders', '3']);
    expect(seeded.code).toBe(0);
    const refused = await cli('db/cli-migrate.js', url(`?ssl-ca=${encodeURIComponent(otherCa)}`));
    expect(refused).toMatchObject({ code: 1, out: expect.stringMatching(/self[- ]signed/) });
    for (const { out } of [migrated, seeded, refused]) expect(out).not.toContain(PASSWORD);
  }, 60000);
});
