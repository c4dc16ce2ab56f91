import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  signedInAdmin,
  signedUpMember,
  startStack,
  type Stack,
  type Visitor,
} from './helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const today = () => new Date().toISOString().slice(0, 10);

/** Adds an order through the frontend's form; returns its id. */
async function addOrder(v: Visitor, fields: Record<string, string>): Promise<string> {
  const form = await v.get('/orders/new');
  const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)![1]!;
  const res = await v.post('/orders', {
    storeCode: 'STORE-1',
    productCode: 'SKU-1',
    quantity: '1',
    cardNumber: '4111 1111 1111 1111',
    orderDate: today(),
    shippingDate: today(),
    idempotencyKey: key,
    ...fields,
  });
  expect(res.status).toBe(303);
  return res.headers.location.slice('/orders/'.length);
}

/** The moves form's hidden fields on an order page, as a browser would submit them. */
function moveFields(html: string): { version: string; idempotencyKey: string } {
  return {
    version: /name="version" value="(\d+)"/.exec(html)![1]!,
    idempotencyKey:
      /action="\/orders\/[^"]+\/moves"[\s\S]*?name="idempotencyKey" value="([^"]+)"/.exec(
        html,
      )![1]!,
  };
}

describe('finding, following and exporting orders (real backend)', () => {
  it('when the list is filtered, then the form echoes the filter, the count is shown and the next page keeps the filter', async () => {
    const member = await signedUpMember(stack, 'Finder');
    const store = `FIND-${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 27; i++)
      await addOrder(member, { storeCode: store, productCode: `P-${i}` });
    const page = await member.get(`/orders?storeCode=${store}&shipping=not_shipped`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`value="${store}"`);
    expect(page.text).toMatch(/<option value="not_shipped" selected>/);
    expect(page.text).toContain('27 orders');
    expect(page.text.match(/<tr>/g)?.length).toBe(26);
    const next = /href="(\/orders\?[^"]+cursor=[^"]+)" rel="next"|rel="next" href="([^"]+)"/.exec(
      page.text,
    );
    const href = (next?.[1] ?? next?.[2])!.replace(/&amp;/g, '&');
    expect(href).toContain(`storeCode=${store}`);
    expect(href).toContain('shipping=not_shipped');
    const page2 = await member.get(href);
    expect(page2.text.match(/<tr>/g)?.length).toBe(3);
    expect(page2.text).toContain(`href="/orders?storeCode=${store}&amp;shipping=not_shipped">`);
    expect(page2.text).toMatch(/aria-disabled="true">\s*Next/);
    // The export button carries the same filter.
    expect(page.text).toContain(
      `href="/orders/export.csv?storeCode=${store}&amp;shipping=not_shipped"`,
    );
  });

  it('when a filter value is invalid, then 400 and the error sits beside its field', async () => {
    const member = await signedUpMember(stack, 'Typo');
    const res = await member.get('/orders?storeCode=bad%20code!&from=2026-02-30');
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="field-storeCode-error"');
    expect(res.text).toContain('id="field-from-error"');
    expect(res.text).toContain('value="bad code!"');
  });

  it('when an order is shipped from its page, then its history says who and when, and a stale copy is refused with what changed', async () => {
    const owner = await signedUpMember(stack, 'Owner');
    const colleague = await signedUpMember(stack, 'Shipper');
    const id = await addOrder(owner, {});
    const stalePage = await owner.get(`/orders/${id}`);
    expect(stalePage.text).toContain('Cancel order');
    const page = await colleague.get(`/orders/${id}`);
    expect(page.text).toContain('Mark shipped');
    expect(page.text).not.toContain('Cancel order');
    const shipped = await colleague.post(`/orders/${id}/moves`, {
      state: 'shipped',
      shippedOn: today(),
      ...moveFields(page.text),
    });
    expect(shipped.status).toBe(303);
    const after = await colleague.get(`/orders/${id}`);
    expect(after.text).toContain('The order was updated.');
    expect(after.text).toMatch(/Shipped \(shipped on \d{4}-\d{2}-\d{2}\) by\s+Shipper Tester/);
    expect(after.text).toContain('Mark delivered');
    // The owner's page still says version 1: cancelling from it is refused.
    const stale = await owner.post(`/orders/${id}/moves`, {
      state: 'cancelled',
      ...moveFields(stalePage.text),
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('changed since you opened it');
    expect(stale.text).toContain('Shipper Tester');
  });

  it('when an admin opens any order, then it may be cancelled from the page', async () => {
    const owner = await signedUpMember(stack, 'Placer');
    const id = await addOrder(owner, {});
    const admin = await signedInAdmin(stack);
    const page = await admin.get(`/orders/${id}`);
    const res = await admin.post(`/orders/${id}/moves`, {
      state: 'cancelled',
      ...moveFields(page.text),
    });
    expect(res.status).toBe(303);
    expect((await admin.get(`/orders/${id}`)).text).toMatch(/Cancelled by\s+Admin/);
  });

  it('when the export is downloaded, then it is the filtered list as CSV, and an invalid filter goes back to the list', async () => {
    const member = await signedUpMember(stack, 'Exporter');
    const store = `EXP-${randomUUID().slice(0, 8)}`;
    await addOrder(member, { storeCode: store, productCode: 'A-1' });
    await addOrder(member, { storeCode: store, productCode: 'A-2' });
    const res = await member.agent.get(`/orders/export.csv?storeCode=${store}`).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment');
    const lines = res.text.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^id,state,store_code,product_code/);
    expect(lines.slice(1).map((l) => l.split(',')[3])).toEqual(['A-2', 'A-1']);
    expect(res.text).not.toContain('4111111111111111');
    const bad = await member.agent.get('/orders/export.csv?shipping=lost');
    expect(bad.status).toBe(303);
    expect(bad.headers.location).toBe('/orders?shipping=lost');
  });

  it('when a visitor is not signed in, then the export sends them to sign in and holds no rows', async () => {
    const res = await request(stack.frontend.app).get('/orders/export.csv');
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});
