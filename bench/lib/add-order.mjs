// The add-order POST as the benchmarks send it through nginx: a signed-in visitor's
// rendered form, submitted.

/**
 * wrk's options for posting the add-order form to a stack at `url`.
 * @param {string} url the stack's address (nginx)
 * @param {{ headers: Record<string, string>, csrf: string }} visitor from `signInThroughNginx`
 */
export function addOrderPost(url, { headers, csrf }) {
  return {
    url: `${url}/orders`,
    headers: { ...headers, origin: url },
    body: new URLSearchParams({
      _csrf: csrf,
      storeCode: 'ST-001',
      productCode: 'PR-1234',
      quantity: '2',
      cardNumber: '4111 1111 1111 1111',
      orderDate: '2026-01-10',
      shippingDate: '2026-01-12',
    }).toString(),
    // Each request carries a fresh Idempotency-Key, as each rendered form does.
    uniqueField: 'idempotencyKey',
  };
}
