import type { Knex } from 'knex';
import { dialectOf } from '../knex';

/**
 * Orders a team can follow and find. Every order gets a state (placed, shipped,
 * delivered or cancelled), the day it actually shipped, and a version that each change
 * increments, so a save of a stale copy can be refused. `order_events` keeps each change
 * with who made it and when.
 *
 * The indexes serve the list's filters: each filter an equality on its leading column,
 * then the order date and the position, so a filtered page sorted by order date is one
 * range read from its cursor onwards, whatever the depth. Store plus state has one of its
 * own, for "what has this store not shipped yet", the list a store works from. Sorting by
 * shipping date reads its own index.
 *
 * The new columns have defaults, so the create_order procedure (202612020001) writes
 * them without a change: every new order starts placed, at version 1.
 */
const INDEXES: ReadonlyArray<readonly [string, string[]]> = [
  ['orders_store_date', ['store_code', 'order_date', 'seq']],
  ['orders_store_state_date', ['store_code', 'state', 'order_date', 'seq']],
  ['orders_product_date', ['product_code', 'order_date', 'seq']],
  ['orders_user_date', ['user_id', 'order_date', 'seq']],
  ['orders_state_date', ['state', 'order_date', 'seq']],
  ['orders_date', ['order_date', 'seq']],
  ['orders_shipping_date', ['shipping_date', 'seq']],
];

export async function up(knex: Knex): Promise<void> {
  if (dialectOf(knex) === 'mysql') {
    // One ALTER: MySQL changes the table once instead of once per column and index.
    await knex.raw(
      `ALTER TABLE orders
        ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'placed',
        ADD COLUMN shipped_on DATE NULL,
        ADD COLUMN version INT NOT NULL DEFAULT 1,
        ${INDEXES.map(([name, columns]) => `ADD INDEX ${name} (${columns.join(', ')})`).join(',\n        ')}`,
    );
  } else {
    await knex.schema.alterTable('orders', (t) => {
      t.string('state', 16).notNullable().defaultTo('placed');
      t.date('shipped_on').nullable();
      t.integer('version').notNullable().defaultTo(1);
      for (const [name, columns] of INDEXES) t.index(columns, name);
    });
  }
  await knex.schema.createTable('order_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('order_seq').notNullable().references('seq').inTable('orders').onDelete('CASCADE');
    // Kept when the account goes, as the order is: the event then names nobody.
    t.integer('user_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('users')
      .onDelete('SET NULL');
    t.string('from_state', 16).notNullable();
    t.string('to_state', 16).notNullable();
    t.date('shipped_on').nullable();
    t.integer('version').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['order_seq', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('order_events');
  await knex.schema.alterTable('orders', (t) => {
    for (const [name, columns] of INDEXES) t.dropIndex(columns, name);
    t.dropColumn('version');
    t.dropColumn('shipped_on');
    t.dropColumn('state');
  });
}
