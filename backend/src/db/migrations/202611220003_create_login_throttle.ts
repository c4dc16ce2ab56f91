import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // Keyed by e-mail, not user id: unknown addresses are throttled exactly like real ones.
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('email_normalized', 254).primary();
    t.integer('failures').notNullable();
    t.bigInteger('window_started_at').notNullable();
    t.bigInteger('blocked_until').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_throttle');
}
