#!/usr/bin/env node
// The floor under the orders page: node:http and mysql2 alone, running the very
// statement the backend runs for GET /api/v1/orders?page=1&pageSize=25 (session and
// page in one read), and answering its rows as JSON. No express, no validation, no
// session check, no metrics or logs. What the backend spends beyond this is what its
// framework and safeguards cost; what this spends is the least a page can cost here.
//   PORT=… DATABASE_URL=mysql://… node bench/floor-server.mjs [BACKEND_DIR]
import http from 'node:http';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mysql = require('mysql2');
const backendDir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..'));
const { PAGE_WITH_SESSION } = require(path.join(backendDir, 'dist/orders/repository.js'));
const { toIso } = require(path.join(backendDir, 'dist/clock.js'));

const url = new URL(process.env.DATABASE_URL);
const pool = mysql.createPool({
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username),
  password: decodeURIComponent(url.password),
  database: url.pathname.slice(1),
  connectionLimit: 10,
  dateStrings: true,
  supportBigNumbers: true,
  charset: 'utf8mb4',
  timezone: 'Z',
});

const PAGE_SIZE = 25;
const server = http.createServer((req, res) => {
  if (req.url === '/readyz') {
    res.end('ok');
    return;
  }
  const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const hash = createHash('sha256').update(token).digest('hex');
  pool.execute(PAGE_WITH_SESSION, ['orders', PAGE_SIZE, 0, hash], (error, rows) => {
    if (error || rows.length === 0) {
      res.writeHead(error ? 503 : 401).end();
      return;
    }
    // The backend's reply, field for field, so both write the same bytes.
    const total = Number(rows[0].total);
    const last = rows[rows.length - 1];
    const body = JSON.stringify({
      items: rows.map((r) => ({
        id: r.id,
        user: { id: r.user_id, name: r.user_name, surname: r.user_surname },
        cardBrand: r.card_brand,
        cardLast4: r.card_last4,
        storeCode: r.store_code,
        productCode: r.product_code,
        quantity: r.quantity,
        orderDate: r.order_date.slice(0, 10),
        shippingDate: r.shipping_date.slice(0, 10),
        createdAt: toIso(Number(r.created_at)),
      })),
      page: 1,
      pageSize: PAGE_SIZE,
      total,
      totalPages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
      nextCursor: Number(last.seq) > 1 ? String(last.seq) : null,
    });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  pool.end();
});
