// @ts-check
/**
 * V8 flags every Tradepost service process runs with, wherever it runs: the local
 * stack, `npm start`, the benchmarks and the container images (the Dockerfile
 * CMDs must repeat them; a test checks that they do).
 *
 * Without a cap V8 lets the old generation grow to several times the live heap
 * before collecting it: under load a service holding ~25 MB of live objects
 * reached 200 MB resident. Capped at 128 MB, the collector runs earlier, resident
 * memory stays near 120 MB and throughput is unchanged (`npm run bench`). The cap
 * is five times the live heap and well inside the Kubernetes memory limits.
 *
 * A heap that small also gets V8's smallest growing factor: the next major
 * collection comes once the old generation is 30 % above what survived the last
 * one, every 2 s or so for the backend at 300 pages a second. Each takes cores
 * from every process on the machine while it marks, and the slow requests at a
 * steady rate cluster around those collections (`npm run bench:gc`). Growing by
 * 100 % halves them and cut the fixed-rate p99 by about a quarter, for some 17 MB
 * more resident memory in the backend.
 */
'use strict';

const SERVICE_NODE_FLAGS = Object.freeze([
  '--max-old-space-size=128',
  '--heap-growing-percent=100',
]);

module.exports = { SERVICE_NODE_FLAGS };
