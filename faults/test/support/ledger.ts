import knex from 'knex';
import type { Sample } from './load';

/** Orders whose product code starts with `prefix`: product code → order ids. */
export async function ordersByProductCode(
  databaseUrl: string,
  prefix: string,
): Promise<Map<string, string[]>> {
  const db = databaseUrl.startsWith('mysql')
    ? knex({ client: 'mysql2', connection: databaseUrl, pool: { min: 0, max: 1 } })
    : knex({
        client: 'better-sqlite3',
        connection: { filename: databaseUrl.replace(/^sqlite:/, '') },
        useNullAsDefault: true,
      });
  try {
    const rows = (await db('orders')
      .select('product_code', 'id')
      .where('product_code', 'like', `${prefix}%`)) as { product_code: string; id: string }[];
    const byCode = new Map<string, string[]>();
    for (const row of rows)
      byCode.set(row.product_code, [...(byCode.get(row.product_code) ?? []), row.id]);
    return byCode;
  } finally {
    await db.destroy();
  }
}

/**
 * Reconcile the writes the load recorded against the rows in the database:
 * acknowledged ⇒ present exactly once (with the id the client was sent to);
 * failed ⇒ absent; indeterminate ⇒ at most once; nothing the load did not write.
 * Returns the violations, one line each.
 */
export function reconcile(writes: Sample[], rows: Map<string, string[]>): string[] {
  const violations: string[] = [];
  const known = new Set<string>();
  for (const write of writes) {
    if (write.key === undefined) continue;
    known.add(write.key);
    const ids = rows.get(write.key) ?? [];
    if (write.outcome === 'ok' && ids.length !== 1)
      violations.push(`acknowledged ${write.key} stored ${ids.length}×`);
    if (
      write.outcome === 'ok' &&
      write.location &&
      ids.length === 1 &&
      !write.location.endsWith(ids[0])
    )
      violations.push(
        `acknowledged ${write.key} redirected to ${write.location}, stored as ${ids[0]}`,
      );
    if (write.outcome === 'fail' && ids.length !== 0)
      violations.push(`failed ${write.key} stored ${ids.length}×`);
    if (write.outcome === 'info' && ids.length > 1)
      violations.push(`indeterminate ${write.key} stored ${ids.length}×`);
  }
  for (const [key, ids] of rows)
    if (!known.has(key)) violations.push(`unknown ${key} stored ${ids.length}×`);
  return violations;
}
