// The markdown tables both benchmarks print.

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
