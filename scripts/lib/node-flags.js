// @ts-check
/**
 * V8 flags each Tradepost service process runs with, wherever it runs: the local
 * stack, `npm start`, the benchmarks and the container images (the Dockerfile
 * CMDs and the workspaces' start scripts must repeat them; a test checks that
 * they do).
 *
 * Every service caps its old generation at 128 MB. Without a cap V8 lets the old
 * generation grow to several times the live heap before collecting it: under load
 * a service holding ~25 MB of live objects reached 200 MB resident. Capped, the
 * collector runs earlier, resident memory stays near 120–130 MB and throughput is
 * unchanged (`npm run bench`). The cap is five times the live heap and well inside
 * the Kubernetes memory limits.
 *
 * The backend also trades young-generation space for old-generation headroom
 * (docs/performance.md, "The backend's collector under saturation"):
 * - With a heap capped this small, V8 starts the next major collection once the old
 *   generation has grown to 1.3× what survived the last one. Saturated, the backend
 *   promotes the objects of the requests in flight at each scavenge and ran four
 *   major collections a second, whose marking took a sixth of a core.
 *   `--heap-growing-percent=100` lets it grow to 2× first.
 * - That headroom costs about 15 MB of resident memory, which a smaller young
 *   generation gives back: `--max-semi-space-size=8` (16 MB by default) alone
 *   changed neither its throughput nor its CPU per request.
 * Together: 11–15 % less CPU per API request at saturation, resident memory within
 * a few MB of before. The frontends keep the cap alone: in the whole stack the same
 * flags made them spend slightly more CPU per page, not less.
 */
'use strict';

const SERVICE_NODE_FLAGS = Object.freeze(['--max-old-space-size=128']);

/** Per service; every list starts with the old-generation cap. */
const NODE_FLAGS = Object.freeze({
  backend: Object.freeze([
    ...SERVICE_NODE_FLAGS,
    '--max-semi-space-size=8',
    '--heap-growing-percent=100',
  ]),
  frontend: SERVICE_NODE_FLAGS,
});

module.exports = { NODE_FLAGS };
