import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  backendRequests: Counter<'outcome'>;
  backendDuration: Histogram<'outcome'>;
  breakerState: Gauge;
}

/** One registry per app instance, so several instances (tests, replicas in-process) never collide. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'frontend' });
  // The event-loop delay is sampled every 100 ms, not prom-client's default 10 ms:
  // a 10 ms timer wakes an idle process 100 times a second, and on shared cores
  // those wake-ups compete with requests. The lag histogram keeps 10 samples a second.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests served, by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to serve an HTTP request, by method, route template and status.',
      labelNames: ['method', 'route', 'status'],
      buckets,
      registers: [registry],
    }),
    backendRequests: new Counter({
      name: 'backend_requests_total',
      help: 'Attempts to call the backend API, by outcome.',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    backendDuration: new Histogram({
      name: 'backend_request_duration_seconds',
      help: 'Duration of each attempt to call the backend API, by outcome.',
      labelNames: ['outcome'],
      buckets,
      registers: [registry],
    }),
    breakerState: new Gauge({
      name: 'circuit_breaker_state',
      help: 'Backend circuit breaker: 0 closed, 1 open, 2 half-open.',
      registers: [registry],
    }),
  };
}
