// The orders list's filtered pages and its CSV export, as the API benchmark measures them.
import { peakRssMb } from './proc.mjs';

/** The filter the benchmark pages: one store's orders that have not shipped. */
export const FILTER = 'storeCode=ST-007&shipping=not_shipped';

/**
 * Follows the filter's cursors to its last page.
 * @returns {Promise<{ cursor: string | null, page: number, total: string }>} the last page's
 *   cursor (null when there is one page), its number, and the first page's count
 */
export async function lastPage(base, auth, filter = FILTER) {
  let cursor = null;
  let previous = null;
  let page = 0;
  let total = '?';
  do {
    const url = `${base}/api/v1/orders?${filter}&pageSize=25${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await fetch(url, { headers: auth });
    if (!res.ok) throw new Error(`${url}: ${res.status}`);
    const body = await res.json();
    if (page === 0)
      total = body.totalExact === false ? `more than ${body.total}` : String(body.total);
    previous = cursor;
    cursor = body.nextCursor;
    page += 1;
  } while (cursor);
  return { cursor: previous, page, total };
}

/**
 * Downloads the whole export once, counting its rows as they arrive, and reads the
 * backend's peak resident memory (VmHWM) before and after.
 * @returns {Promise<{ rows: number, seconds: number, rowsPerSecond: number, rssBefore: number | null, rssAfter: number | null }>}
 */
export async function measureExport(base, auth, pid) {
  const rssBefore = peakRssMb(pid);
  const started = process.hrtime.bigint();
  const res = await fetch(`${base}/api/v1/orders/export.csv`, { headers: auth });
  if (!res.ok) throw new Error(`export: ${res.status}`);
  let lines = 0;
  for await (const chunk of res.body) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const rows = lines - 1;
  return {
    rows,
    seconds,
    rowsPerSecond: Math.round(rows / seconds),
    rssBefore,
    rssAfter: peakRssMb(pid),
  };
}
