import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // One row per (owner, peer) pointing at the latest message, so "my conversations,
  // latest first" is an index range scan however many messages exist.
  await knex.schema.createTable('conversations', (t) => {
    t.integer('owner_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    t.integer('peer_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    t.bigInteger('last_message_id').notNullable();
    t.primary(['owner_id', 'peer_id']);
    t.index(['owner_id', 'last_message_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('conversations');
}
