import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findWrk, parseWrk, wrk } from '../lib/wrk.mjs';
import { describeNeeding } from '../../scripts/lib/test-deps';

// wrk 4.1's report, as the Debian package prints it with --latency.
const clean = `Running 1s test @ http://127.0.0.1:18080/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   328.68us    0.90ms  13.89ms   94.42%
    Req/Sec    30.03k    15.94k   47.37k    50.00%
  Latency Distribution
     50%  105.00us
     75%  197.00us
     90%  542.00us
     99%    4.57ms
  29775 requests in 1.01s, 3.52MB read
Requests/sec:  29591.53
Transfer/sec:      3.50MB
`;

const troubled = `Running 10s test @ http://127.0.0.1:8080/orders?page=1
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   95.12ms   40.20ms    1.52s    88.10%
    Req/Sec   700.21     90.00     0.90k    70.00%
  Latency Distribution
     50%   83.20ms
     75%   99.00ms
     90%  120.40ms
     99%    1.20s
  7001 requests in 10.01s, 50.00MB read
  Socket errors: connect 1, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    699.51
Transfer/sec:      5.00MB
`;

describe('parseWrk', () => {
  test('reads requests, throughput and the latency percentiles in their units', () => {
    expect(parseWrk(clean)).toEqual({
      requests: 29775,
      rps: 29592,
      p50: 0.1,
      p99: 4.6,
      errors: 0,
    });
  });

  test('counts socket errors and non-2xx/3xx answers as errors; seconds become ms', () => {
    expect(parseWrk(troubled)).toEqual({
      requests: 7001,
      rps: 700,
      p50: 83.2,
      p99: 1200,
      errors: 10,
    });
  });
});

describeNeeding(['wrk'], 'wrk against a loopback server', () => {
  test('a form POST with a fresh value per request for the unique field', async () => {
    if (!findWrk()) throw new Error('wrk is not installed (Debian package "wrk")');
    const keys = new Set<string>();
    let posts = 0;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.method === 'POST') posts += 1;
        const key = new URLSearchParams(body).get('key');
        if (key) keys.add(key);
        res.writeHead(
          req.headers['content-type'] === 'application/x-www-form-urlencoded' ? 303 : 415,
        );
        res.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await wrk({
        url: `http://127.0.0.1:${port}/orders`,
        connections: 2,
        durationS: 1,
        body: 'storeCode=ST-001&quantity=2',
        uniqueField: 'key',
      });
      expect(r.requests).toBeGreaterThan(10);
      expect(r.errors).toBe(0);
      expect(posts).toBeGreaterThanOrEqual(r.requests);
      expect(keys.size).toBe(posts);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
