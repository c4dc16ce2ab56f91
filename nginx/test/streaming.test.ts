import http from 'node:http';
import { startNginx, startUpstream, type RunningNginx, type Upstream } from './support';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

/** How much of an endless body the replica had written when the client stopped reading. */
describe('nginx in front of a streamed download', () => {
  const CHUNK = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  let finished = false;
  let upstream: Upstream;
  let nginx: RunningNginx;
  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => {
      res.setHeader('Content-Type', 'text/csv');
      res.on('close', () => (finished = true));
      // Writes as fast as the connection to nginx takes it, up to 256 MB.
      const pump = () => {
        while (written < 256 * 1024 * 1024 && !res.destroyed) {
          written += CHUNK.length;
          if (!res.write(CHUNK)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    nginx = await startNginx([upstream.port]);
  });
  afterAll(async () => {
    await nginx.stop();
    await upstream.close();
  });

  it('when the client of /orders/export.csv pauses, then the replica is held back; when it leaves, the replica is stopped', async () => {
    const url = new URL(nginx.url);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http
        .get(
          { host: url.hostname, port: url.port, path: '/orders/export.csv', agent: false },
          resolve,
        )
        .on('error', reject),
    );
    expect(res.statusCode).toBe(200);
    res.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Unbuffered, only the sockets' own buffers fill (a few MB on loopback); buffered,
    // nginx would spool the whole body to a temporary file.
    expect(written).toBeLessThan(48 * 1024 * 1024);
    res.destroy();
    const deadline = Date.now() + 3000;
    while (!finished && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(finished).toBe(true);
    expect(written).toBeLessThan(256 * 1024 * 1024);
  });
});
