import type { Knex } from 'knex';
import * as createUsers from './202611220001_create_users';
import * as createSessions from './202611220002_create_sessions';
import * as createLoginThrottle from './202611220003_create_login_throttle';
import * as createMessages from './202611220004_create_messages';
import * as createConversations from './202611220005_create_conversations';
import * as createOrders from './202611220006_create_orders';
import * as createCounters from './202611220007_create_counters';
import * as createIdempotencyKeys from './202611220008_create_idempotency_keys';
import * as createOrderProcedure from './202612020001_create_order_procedure';
import * as trackOrders from './202612050001_track_orders';
import * as createInvitations from './202612050101_create_invitations';
import * as addUserAccessFlags from './202612050102_add_user_access_flags';
import * as recreateLoginThrottle from './202612050103_recreate_login_throttle';
import * as indexSessionExpiry from './202612050104_index_session_expiry';

type Migration = Knex.Migration;

/** Every migration, in order. Imported, not globbed, so the list is the same in src/ and dist/. */
export const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['202611220001_create_users', createUsers],
  ['202611220002_create_sessions', createSessions],
  ['202611220003_create_login_throttle', createLoginThrottle],
  ['202611220004_create_messages', createMessages],
  ['202611220005_create_conversations', createConversations],
  ['202611220006_create_orders', createOrders],
  ['202611220007_create_counters', createCounters],
  ['202611220008_create_idempotency_keys', createIdempotencyKeys],
  ['202612020001_create_order_procedure', createOrderProcedure],
  ['202612050001_track_orders', trackOrders],
  ['202612050101_create_invitations', createInvitations],
  ['202612050102_add_user_access_flags', addUserAccessFlags],
  ['202612050103_recreate_login_throttle', recreateLoginThrottle],
  ['202612050104_index_session_expiry', indexSessionExpiry],
];

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(MIGRATIONS.map(([name]) => name)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const found = MIGRATIONS.find(([n]) => n === name);
    if (!found) return Promise.reject(new Error(`Unknown migration ${name}`));
    return Promise.resolve(found[1]);
  },
};
