import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    // The account the ADMIN_EMAIL/ADMIN_PASSWORD bootstrap (or `admin:create`) made:
    // the only one a rotated ADMIN_PASSWORD resets.
    t.boolean('bootstrap_admin').notNullable().defaultTo(false);
    // Set by an admin's forced reset: the temporary password only buys a password change.
    t.boolean('must_change_password').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('bootstrap_admin');
    t.dropColumn('must_change_password');
  });
}
