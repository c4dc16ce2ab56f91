import type http from 'node:http';
import { send, startNginx, startUpstream, type RunningNginx, type Upstream } from './support';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx']);

/** A replica of one version: its pages, and only its own content-hashed assets. */
const version =
  (name: string): http.RequestListener =>
  (req, res) => {
    req.resume();
    req.on('end', () => {
      const asset = req.url?.startsWith('/assets/');
      const own = req.url?.startsWith(`/assets/${name}-`);
      res.statusCode = asset && !own ? 404 : 200;
      res.setHeader('Content-Type', asset ? 'text/css' : 'text/html');
      res.end(name);
    });
  };

async function share(stable: number, percent: number, requests: number) {
  const replicas = await Promise.all(
    Array.from({ length: stable }, () => startUpstream(version('stable'))),
  );
  const canary = await startUpstream(version('canary'));
  const nginx = await startNginx(
    replicas.map((r) => r.port),
    {
      FRONTEND_CANARY_SERVERS: `127.0.0.1:${canary.port}`,
      FRONTEND_CANARY_PERCENT: String(percent),
    },
  );
  try {
    for (let i = 0; i < requests; i++)
      expect((await send(nginx.url, { path: `/page/${i}` })).status).toBe(200);
    return canary.hits.length / requests;
  } finally {
    await nginx.stop();
    await Promise.all([...replicas, canary].map((r) => r.close()));
  }
}

describe('nginx splitting requests between stable replicas and a canary', () => {
  it('when the canary has 20 %, then it gets about a fifth of the requests, whatever the number of stable replicas', async () => {
    // 600 requests: the expected 120 ± 36 is more than three standard deviations wide.
    for (const stable of [1, 4]) {
      const got = await share(stable, 20, 600);
      expect(got).toBeGreaterThan(0.14);
      expect(got).toBeLessThan(0.26);
    }
  });

  describe('with one stable replica and a canary at 50 %', () => {
    let stable: Upstream;
    let canary: Upstream;
    let nginx: RunningNginx;
    beforeAll(async () => {
      stable = await startUpstream(version('stable'));
      canary = await startUpstream(version('canary'));
      nginx = await startNginx([stable.port], {
        FRONTEND_CANARY_SERVERS: `127.0.0.1:${canary.port}`,
        FRONTEND_CANARY_PERCENT: '50',
      });
    });
    afterAll(async () => {
      await nginx.stop();
      await stable.close();
    });

    it('when a page names a file only one version has, then nginx finds it whichever side the request went to', async () => {
      for (let i = 0; i < 20; i++) {
        for (const name of ['stable', 'canary']) {
          const res = await send(nginx.url, { path: `/assets/${name}-${i}.css` });
          expect([name, i, res.status, res.body.toString()]).toEqual([name, i, 200, name]);
        }
      }
      expect((await send(nginx.url, { path: '/assets/neither.css' })).status).toBe(404);
    });

    it('when the canary stops, then its share goes to the stable replica and nobody sees an error', async () => {
      await canary.close();
      const before = stable.hits.length;
      for (let i = 0; i < 40; i++) {
        const res = await send(nginx.url, { method: i % 2 ? 'POST' : 'GET', path: `/after/${i}` });
        expect([i, res.status, res.body.toString()]).toEqual([i, 200, 'stable']);
      }
      expect(stable.hits.length - before).toBe(40);
    });
  });
});
