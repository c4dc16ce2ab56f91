// Loaded into a service with `node -r` by `npm run bench:gc`: records every garbage
// collection (wall-clock start, duration, kind) and, on SIGUSR2, writes what it has
// recorded since the last SIGUSR2 to $GC_EVENTS_DIR/<pid>.json. With
// $GC_EVENTS_V8_FLAGS it first applies those V8 flags (space-separated), so a
// collector setting can be compared without rebuilding anything.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const { PerformanceObserver, constants, performance } = require('node:perf_hooks');

const dir = process.env.GC_EVENTS_DIR;
if (dir) {
  for (const flag of (process.env.GC_EVENTS_V8_FLAGS ?? '').split(/\s+/).filter(Boolean)) {
    v8.setFlagsFromString(flag);
  }
  const KINDS = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
  };
  let events = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      events.push({
        at: performance.timeOrigin + entry.startTime,
        ms: entry.duration,
        kind: KINDS[entry.detail?.kind] ?? 'other',
      });
    }
  }).observe({ entryTypes: ['gc'] });
  // Entries reach the observer on the event loop's next turn, and an idle process may
  // not have had one since its last collection: the signal wakes it, and the report
  // is written a moment later so they are in it.
  process.on('SIGUSR2', () => {
    setTimeout(() => {
      const file = path.join(dir, `${process.pid}.json`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(events));
      fs.renameSync(`${file}.tmp`, file);
      events = [];
    }, 50);
  });
}
