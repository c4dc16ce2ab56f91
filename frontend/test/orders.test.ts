import { randomUUID } from 'node:crypto';
import { ADMIN, signedUpMember, startStack, type Stack } from './helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

const PAN = '4111 1111 1111 1111';
const today = () => new Date().toISOString().slice(0, 10);
const valid = () => ({
  storeCode: 'STORE-1',
  productCode: 'SKU-42',
  quantity: '3',
  cardNumber: PAN,
  orderDate: today(),
  shippingDate: today(),
});

/** Straight to the backend API, to lay down many rows fast. */
async function seedOrders(count: number) {
  const login = await fetch(`${stack.backend.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { token } = (await login.json()) as { token: string };
  for (let i = 0; i < count; i += 1) {
    const res = await fetch(`${stack.backend.url}/api/v1/orders`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
        'Idempotency-Key': randomUUID(),
      },
      body: JSON.stringify({
        ...valid(),
        productCode: `SEED-${i}`,
        quantity: 1,
        cardNumber: '5555555555554444',
      }),
    });
    if (res.status !== 201) throw new Error(`seed failed: ${res.status}`);
  }
}

describe('orders (real backend)', () => {
  it('when a valid order is added, then the detail page shows it with only the masked card', async () => {
    const member = await signedUpMember(stack, 'Buyer');
    const form = await member.get('/orders/new');
    expect(form.headers['cache-control']).toBe('no-store');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)![1]!;
    const res = await member.post('/orders', { ...valid(), idempotencyKey: key });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/orders\/[0-9a-f-]{36}$/);
    const detail = await member.get(res.headers.location);
    expect(detail.text).toContain('•••• 1111');
    expect(detail.text).toContain('SKU-42');
    expect(detail.text).toContain('The order was added.');
    expect(detail.text).not.toMatch(/4111\s?1111\s?1111/);
    expect(detail.text).toContain('Buyer Tester');
  });

  it('when fields are invalid, then each error sits beside its field and input is kept except the card number', async () => {
    const member = await signedUpMember(stack, 'Sloppy');
    await member.get('/orders/new');
    const res = await member.post('/orders', {
      storeCode: '',
      productCode: 'bad code!',
      quantity: '0',
      cardNumber: '4111 1111 1111 1112',
      orderDate: '2999-01-01',
      shippingDate: '2000-01-01',
      idempotencyKey: randomUUID(),
    });
    expect(res.status).toBe(400);
    for (const field of ['storeCode', 'productCode', 'quantity', 'cardNumber', 'orderDate']) {
      expect(res.text).toMatch(new RegExp(`aria-describedby="[^"]*field-${field}-error"`));
    }
    expect(res.text).toContain('value="bad code!"');
    expect(res.text).toContain('value="2999-01-01"');
    expect(res.text).not.toContain('4111 1111 1111 1112');
    expect(res.text).toMatch(/<input id="field-cardNumber" name="cardNumber" type="text" value=""/);
    const dates = await member.post('/orders', {
      ...valid(),
      orderDate: '2024-05-10',
      shippingDate: '2024-05-09',
      idempotencyKey: randomUUID(),
    });
    expect(dates.status).toBe(400);
    expect(dates.text).toContain('id="field-shippingDate-error"');
  });

  it('when the add-order form is submitted twice with its key, then one order is created', async () => {
    const member = await signedUpMember(stack, 'Double');
    const form = await member.get('/orders/new');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(form.text)![1]!;
    const csrf = member.csrf;
    const body = { ...valid(), productCode: 'ONCE-ONLY', _csrf: csrf, idempotencyKey: key };
    const submit = () => member.agent.post('/orders').type('form').send(body);
    const [a, b] = await Promise.all([submit(), submit()]);
    expect(a.status).toBe(303);
    expect(b.status).toBe(303);
    expect(a.headers.location).toBe(b.headers.location);
  });

  it('when paging through orders, then first, middle and last pages link correctly', async () => {
    const member = await signedUpMember(stack, 'Pager');
    const first = await member.get('/orders');
    const before = Number(/Page 1 of (\d+)/.exec(first.text)?.[1] ?? '1');
    expect(before).toBe(1);
    await seedOrders(60);
    const page1 = await member.get('/orders');
    expect(page1.text).toContain('Page 1 of 3');
    expect(page1.text.match(/<tr>/g)?.length).toBe(26); // header + 25 rows
    expect(page1.text).toContain('SEED-59'); // newest first
    expect(page1.text).toMatch(/<span class="pagination__step" aria-disabled="true">« First/);
    expect(page1.text).toContain('href="/orders?page=2" rel="next"');
    expect(page1.text).toContain('href="/orders?page=3">Last »');
    expect(page1.text).toContain('<span class="pagination__page" aria-current="page">1</span>');

    const page2 = await member.get('/orders?page=2');
    expect(page2.text).toContain('Page 2 of 3');
    expect(page2.text).toContain('href="/orders?page=1">« First');
    expect(page2.text).toContain('href="/orders?page=1" rel="prev"');
    expect(page2.text).toContain('href="/orders?page=3" rel="next"');
    expect(page2.text).toContain('href="/orders?page=3">Last »');

    const page3 = await member.get('/orders?page=3');
    expect(page3.text).toContain('Page 3 of 3');
    expect(page3.text).toContain('href="/orders?page=2" rel="prev"');
    expect(page3.text).toMatch(/aria-disabled="true">Next ›/);
    expect(page3.text).toMatch(/aria-disabled="true">Last »/);

    const beyond = await member.get('/orders?page=99');
    expect(beyond.status).toBe(303);
    expect(beyond.headers.location).toBe('/orders?page=3');
  });

  it('when an order id is unknown or malformed, then the 404 page is shown', async () => {
    const member = await signedUpMember(stack, 'Lost');
    expect((await member.get(`/orders/${randomUUID()}`)).status).toBe(404);
    expect((await member.get('/orders/not-a-uuid')).status).toBe(404);
  });
});
