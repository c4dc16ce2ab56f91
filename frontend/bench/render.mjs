#!/usr/bin/env node
// Rendering one orders page (25 orders, the signed-in layout) to its HTML, on its own:
// CPU time per page through the frontend's own renderer, median of five rounds.
//   npm run build && node frontend/bench/render.mjs [--frontend DIR] [--pages 5000]
// --frontend points at another checkout's frontend/ (built) to compare two versions;
// a checkout from before views/html.ts builds its elements with preact.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    frontend: { type: 'string', default: path.join(here, '..') },
    pages: { type: 'string', default: '5000' },
  },
});
const pages = Number(values.pages);
if (!Number.isInteger(pages) || pages < 1) {
  process.stderr.write('--pages takes a positive whole number\n');
  process.exit(2);
}
const frontend = path.resolve(values.frontend);
const dist = path.join(frontend, 'dist');
if (!existsSync(path.join(dist, 'views', 'render.js'))) {
  process.stderr.write(`${dist}/views/render.js is missing: build that checkout first\n`);
  process.exit(2);
}
const require = createRequire(path.join(frontend, 'package.json'));
const { createRenderer } = require(path.join(dist, 'views', 'render.js'));
const { OrdersPage } = require(path.join(dist, 'views', 'pages', 'orders.js'));
const ownRenderer = existsSync(path.join(dist, 'views', 'html.js'));
const { h } = ownRenderer ? require(path.join(dist, 'views', 'html.js')) : require('preact');

const brands = ['visa', 'mastercard', 'amex', 'discover'];
const page = {
  items: Array.from({ length: 25 }, (_, i) => ({
    id: `0d9c${String(i).padStart(4, '0')}-8f1e-4b5a-9c3d-2e7f6a1b${String(i).padStart(4, '0')}`,
    user: { id: 1 + (i % 7), name: 'Ada', surname: i % 5 === 0 ? 'O’Brien & <Sons>' : 'Lovelace' },
    cardBrand: brands[i % brands.length],
    cardLast4: '1111',
    storeCode: `ST-${String(i).padStart(3, '0')}`,
    productCode: 'PR-1234',
    quantity: 1 + i,
    orderDate: '2026-01-10',
    shippingDate: '2026-01-12',
    createdAt: '2026-01-10T09:30:00.000Z',
  })),
  page: 1,
  pageSize: 25,
  total: 1_000_000,
  totalPages: 40_000,
};
const req = {
  path: '/orders',
  ctx: {
    session: { user: { id: 2, name: 'Ada', role: 'member' } },
    csrfToken: 'x2dYUMx3oSRVfNllV-RgCV3Z1v0mfllURHPBsOXlyec',
  },
};
let bytes = 0;
const res = {
  statusCode: 200,
  setHeader() {},
  end(body) {
    bytes = Buffer.byteLength(body);
  },
};
const render = createRenderer('/assets/app.0123456789ab.css');
const renderPage = () => render(req, res, 'Orders', h(OrdersPage, { page }));

/** CPU microseconds per page over `pages` pages. */
function round() {
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < pages; i += 1) renderPage();
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / pages;
}
round(); // warm-up: let V8 optimise the path first
const rounds = Array.from({ length: 5 }, round).sort((a, b) => a - b);
const median = rounds[2];
process.stdout.write(
  `${ownRenderer ? 'views/html.ts' : 'preact-render-to-string'} (${frontend}): ` +
    `${bytes} bytes, median ${median.toFixed(1)} µs of CPU per page ` +
    `(rounds: ${rounds.map((r) => r.toFixed(1)).join(', ')})\n`,
);
