import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Exact row totals kept in the same transaction as the rows, so "page X of Y"
  // never needs COUNT(*) over a large table.
  await knex.schema.createTable('counters', (t) => {
    t.string('name', 32).primary();
    t.bigInteger('value').notNullable();
  });
  await knex('counters').insert({ name: 'orders', value: 0 });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('counters');
}
