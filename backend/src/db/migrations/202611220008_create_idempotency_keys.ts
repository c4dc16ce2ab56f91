import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Insert-first under a primary key: concurrent retries with one key create one resource.
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.integer('user_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    t.string('idem_key', 200).notNullable();
    t.string('request_hash', 64).notNullable();
    t.integer('status').notNullable();
    t.text('response_body').notNullable();
    t.bigInteger('created_at').notNullable();
    t.primary(['user_id', 'idem_key']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
