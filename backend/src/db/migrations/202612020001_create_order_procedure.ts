import type { Knex } from 'knex';
import { dialectOf } from '../knex';

/**
 * On MySQL, a new order is written by one `CALL`: the Idempotency-Key's claim, the
 * counter and the order in one transaction on the server. Why the write also exists in
 * TypeScript is said once, in orders/service.ts (`write`). A change to these tables'
 * columns must replace the procedure in a migration of its own.
 *
 * SQL SECURITY INVOKER: the procedure runs with the caller's privileges, not its
 * creator's. Any error rolls back and is raised again unchanged, so a key claimed
 * before still surfaces as a duplicate-key error and nothing of the call remains.
 */
const CREATE = `CREATE PROCEDURE create_order(
    claim_user_id INT UNSIGNED,
    claim_key VARCHAR(200) CHARACTER SET utf8mb4,
    claim_request_hash VARCHAR(64) CHARACTER SET utf8mb4,
    claim_status INT,
    claim_response_body TEXT CHARACTER SET utf8mb4,
    order_id VARCHAR(36) CHARACTER SET utf8mb4,
    order_user_id INT UNSIGNED,
    order_card_brand VARCHAR(16) CHARACTER SET utf8mb4,
    order_card_last4 VARCHAR(4) CHARACTER SET utf8mb4,
    order_store_code VARCHAR(32) CHARACTER SET utf8mb4,
    order_product_code VARCHAR(32) CHARACTER SET utf8mb4,
    order_quantity INT,
    order_order_date DATE,
    order_shipping_date DATE,
    created BIGINT
  )
  MODIFIES SQL DATA
  SQL SECURITY INVOKER
  BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
      ROLLBACK;
      RESIGNAL;
    END;
    START TRANSACTION;
    IF claim_key IS NOT NULL THEN
      INSERT INTO idempotency_keys
        (user_id, idem_key, request_hash, status, response_body, created_at)
        VALUES (claim_user_id, claim_key, claim_request_hash, claim_status,
          claim_response_body, created);
    END IF;
    UPDATE counters SET value = value + 1 WHERE name = 'orders';
    INSERT INTO orders (seq, id, user_id, card_brand, card_last4, store_code, product_code,
        quantity, order_date, shipping_date, created_at)
      SELECT value, order_id, order_user_id, order_card_brand, order_card_last4,
        order_store_code, order_product_code, order_quantity, order_order_date,
        order_shipping_date, created
      FROM counters WHERE name = 'orders';
    COMMIT;
  END`;

export async function up(knex: Knex): Promise<void> {
  if (dialectOf(knex) === 'mysql') await knex.raw(CREATE);
}

export async function down(knex: Knex): Promise<void> {
  if (dialectOf(knex) === 'mysql') await knex.raw('DROP PROCEDURE IF EXISTS create_order');
}
