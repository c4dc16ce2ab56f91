import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { observeDb, poolStats, type Db } from './db/knex';

/** One registry per app instance: no module-level state, tests can build many apps. */
export function createMetrics(db: Db) {
  const registry = new Registry();
  // The event-loop delay is sampled every 100 ms, not prom-client's default 10 ms:
  // a 10 ms timer wakes an idle process 100 times a second, and on shared cores
  // those wake-ups compete with requests. The lag histogram keeps 10 samples a second.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state (used, free, pending acquires)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats(db);
      this.set({ state: 'used' }, stats.used);
      this.set({ state: 'free' }, stats.free);
      this.set({ state: 'pending' }, stats.pending);
    },
  });
  const acquireDuration = new Histogram({
    name: 'db_pool_acquire_duration_seconds',
    help: 'Time to get a connection from the database pool, by outcome (ok, error)',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5],
    registers: [registry],
  });
  const queryDuration = new Histogram({
    name: 'db_query_duration_seconds',
    help: 'Database query duration once a connection is held, by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  observeDb(db, {
    acquired: (seconds, outcome) => acquireDuration.observe({ outcome }, seconds),
    queried: (seconds, operation, outcome) =>
      queryDuration.observe({ operation, outcome }, seconds),
  });
  const business = (name: string, help: string) =>
    new Counter({ name, help, registers: [registry] });
  return {
    registry,
    httpRequests,
    httpDuration,
    ordersCreated: business('tradepost_orders_created_total', 'Orders created'),
    messagesSent: business('tradepost_messages_sent_total', 'Messages sent'),
    signups: business('tradepost_signups_total', 'Accounts created through sign-up'),
    loginFailures: business('tradepost_login_failures_total', 'Failed sign-in attempts'),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
