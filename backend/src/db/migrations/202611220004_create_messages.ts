import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('messages', (t) => {
    t.bigIncrements('id');
    t.integer('sender_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    t.integer('recipient_id')
      .unsigned()
      .notNullable()
      .references('id')
      .inTable('users')
      .onDelete('CASCADE');
    // The pair in a fixed order, so one index serves a conversation from either side.
    t.integer('user_low').unsigned().notNullable();
    t.integer('user_high').unsigned().notNullable();
    t.text('body').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['user_low', 'user_high', 'id']);
    t.index(['recipient_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('messages');
}
