import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.increments('id');
    t.string('name', 100).notNullable();
    t.string('surname', 100).notNullable();
    t.string('email', 254).notNullable();
    // Lower-cased copy: uniqueness and lookups are case-insensitive on every engine.
    t.string('email_normalized', 254).notNullable().unique();
    t.string('password_hash', 255).notNullable();
    t.string('role', 16).notNullable().defaultTo('member');
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('users');
}
