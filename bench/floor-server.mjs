#!/usr/bin/env node
// The floor under the orders page: node:http and mysql2 alone, running the statement
// the backend runs for GET /api/v1/orders?page=1&pageSize=25 (the session and the page
// in one read) and answering its rows as the backend's JSON. No express, no validation,
// no session check, no metrics or logs. What the backend spends beyond this is what its
// framework and safeguards cost; what this spends is the least a page can cost here.
// `npm run bench:api` runs it and first checks that both answer the same bytes.
//   PORT=… DATABASE_URL=mysql://… node bench/floor-server.mjs
import http from 'node:http';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const mysql = require('mysql2');

/** The backend's orders page statement (orders/repository.ts with auth's session columns). */
const PAGE = `SELECT s.id AS session_id, s.user_id AS session_user_id,
    s.last_seen_at AS session_last_seen_at, s.expires_at AS session_expires_at,
    su.name AS session_name, su.surname AS session_surname, su.email AS session_email,
    su.role AS session_role, su.created_at AS session_created_at,
    o.seq, o.id, o.user_id, o.card_brand, o.card_last4, o.store_code, o.product_code,
    o.quantity, o.order_date, o.shipping_date, o.state, o.shipped_on, o.version, o.created_at,
    u.name AS user_name, u.surname AS user_surname, c.value AS total
  FROM sessions s JOIN users su ON su.id = s.user_id
  LEFT JOIN counters c ON c.name = ?
  LEFT JOIN orders o ON o.seq > c.value - ? AND o.seq <= c.value - ?
  LEFT JOIN users u ON u.id = o.user_id
  WHERE s.token_hash = ?
  ORDER BY o.seq DESC`;

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
  pool.execute(PAGE, ['orders', PAGE_SIZE, 0, hash], (error, rows) => {
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
        state: r.state,
        shippedOn: r.shipped_on === null ? null : r.shipped_on.slice(0, 10),
        version: r.version,
        createdAt: new Date(Number(r.created_at)).toISOString(),
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
