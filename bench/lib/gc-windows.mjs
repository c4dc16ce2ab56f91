// Which slow requests overlap a major garbage collection, and how much of the run
// such windows cover: if slow requests cluster around major GCs far more than the
// windows' share of time would explain, the collections are what makes the tail.

/**
 * A major GC's window: from `beforeMs` before its final pause starts to `afterMs`
 * after it ends. V8 marks concurrently for some tens of milliseconds before that
 * pause, on helper threads that take cores from every other process, and the queue
 * the pause built drains afterwards.
 * @param {{ at: number, ms: number }[]} majors
 * @returns {[number, number][]} merged, sorted [start, end) windows in epoch ms
 */
export function windowsAround(majors, { beforeMs = 80, afterMs = 20 } = {}) {
  const spans = majors
    .map((g) => [g.at - beforeMs, g.at + g.ms + afterMs])
    .sort((a, b) => a[0] - b[0]);
  /** @type {[number, number][]} */
  const merged = [];
  for (const [start, end] of spans) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * @param {{ at: number, ms: number }[]} samples requests: due time and latency
 * @param {[number, number][]} windows from `windowsAround`
 * @param {number} slowMs what counts as slow
 * @returns {{ slow: number, slowInWindows: number, timeShare: number }}
 *   `timeShare`: the share of the run's span the windows cover, what chance alone
 *   would put inside them
 */
export function slowNearWindows(samples, windows, slowMs) {
  if (samples.length === 0) return { slow: 0, slowInWindows: 0, timeShare: 0 };
  // A loop, not Math.min(...): a long run has more samples than a call takes arguments.
  let start = Infinity;
  let end = -Infinity;
  for (const s of samples) {
    start = Math.min(start, s.at);
    end = Math.max(end, s.at + s.ms);
  }
  // A request is in a window when its time in flight overlaps it.
  const overlaps = (s) => windows.some(([a, b]) => s.at < b && s.at + s.ms > a);
  const slow = samples.filter((s) => s.ms > slowMs);
  const covered = windows.reduce(
    (sum, [a, b]) => sum + Math.max(0, Math.min(b, end) - Math.max(a, start)),
    0,
  );
  return {
    slow: slow.length,
    slowInWindows: slow.filter(overlaps).length,
    timeShare: end > start ? covered / (end - start) : 0,
  };
}
