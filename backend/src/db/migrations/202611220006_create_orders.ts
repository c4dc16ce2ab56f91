import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('orders', (t) => {
    // Dense position 1..N assigned under the counter's row lock: page P of the
    // newest-first list is a primary-key range, whatever P is.
    t.bigInteger('seq').primary();
    t.string('id', 36).notNullable().unique();
    t.integer('user_id')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('users')
      .onDelete('SET NULL');
    // Brand and last four digits only: the card number never reaches the database.
    t.string('card_brand', 16).notNullable();
    t.string('card_last4', 4).notNullable();
    t.string('store_code', 32).notNullable();
    t.string('product_code', 32).notNullable();
    t.integer('quantity').notNullable();
    t.date('order_date').notNullable();
    t.date('shipping_date').notNullable();
    t.bigInteger('created_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('orders');
}
