import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // A single-use link to make one account for one address. Only the token's SHA-256 is kept.
  await knex.schema.createTable('invitations', (t) => {
    t.increments('id');
    t.string('email', 254).notNullable();
    t.string('email_normalized', 254).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('role', 16).notNullable().defaultTo('member');
    t.integer('invited_by')
      .unsigned()
      .nullable()
      .references('id')
      .inTable('users')
      .onDelete('SET NULL');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('invitations');
}
