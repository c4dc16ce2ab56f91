// The markdown tables the benchmarks print.
import os from 'node:os';

/** Where and when a table was measured: "2 cores (Intel(R) Xeon(R) Processor), 2026-12-02". */
export function machine() {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model ?? 'unknown CPU'}), ${new Date().toISOString().slice(0, 10)}`;
}

/** A markdown table: the first column left-aligned, the others (numbers) right-aligned. */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)];
}

/**
 * One row per scenario: throughput, latency, errors, any `extra` columns
 * ([title, (row) => cell]), how busy the machine was (percent of all cores), then
 * CPU ms per request for each measured process group ('–' where a scenario did not
 * measure it).
 */
export function scenarioTable(rows, extra = []) {
  const groups = [...new Set(rows.flatMap((r) => Object.keys(r.cpu ?? {})))];
  return markdownTable(
    [
      'scenario',
      'req/s',
      'p50 ms',
      'p99 ms',
      'errors',
      ...extra.map(([title]) => title),
      'CPU busy %',
      ...groups.map((g) => `CPU ms/req ${g}`),
    ],
    rows.map((r) => [
      r.name,
      r.rps,
      r.p50,
      r.p99,
      r.errors,
      ...extra.map(([, cell]) => cell(r)),
      r.busyPercent ?? '–',
      ...groups.map((g) => (r.cpu?.[g] === undefined ? '–' : r.cpu[g].toFixed(2))),
    ]),
  );
}
