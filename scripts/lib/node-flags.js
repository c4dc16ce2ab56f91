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
 * Tried and left out: `--heap-growing-percent=100` halves the major collections a
 * heap this small gets, but in three back-to-back sets of `npm run bench:gc` it did
 * not move the fixed-rate p99 either way beyond the machine's noise, and it cost the
 * backend 17 MB of resident memory (docs/performance.md).
 */
'use strict';

const SERVICE_NODE_FLAGS = Object.freeze(['--max-old-space-size=128']);

module.exports = { SERVICE_NODE_FLAGS };
