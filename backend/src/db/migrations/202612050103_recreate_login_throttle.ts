import type { Knex } from 'knex';

/**
 * Failed sign-ins counted per key: an account from one client address, and a client
 * address across accounts. The key is a SHA-256, so the strings tried are not kept.
 * The old table (one row per address ever tried, never purged) goes with its counts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_throttle');
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('throttle_key', 64).primary();
    t.integer('failures').notNullable().defaultTo(0);
    t.bigInteger('window_started_at').notNullable().defaultTo(0);
    t.bigInteger('blocked_until').notNullable().defaultTo(0);
    // How often this key has been blocked: each block lasts twice the one before.
    t.integer('lockouts').notNullable().defaultTo(0);
    t.bigInteger('updated_at').notNullable();
    t.index(['updated_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('login_throttle');
  await knex.schema.createTable('login_throttle', (t) => {
    t.string('email_normalized', 254).primary();
    t.integer('failures').notNullable();
    t.bigInteger('window_started_at').notNullable();
    t.bigInteger('blocked_until').notNullable().defaultTo(0);
  });
}
