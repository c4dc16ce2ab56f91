import type { Page } from 'playwright-core';
import { journeyStack, path } from './support/journey';
import { firstColumn, readPager } from './support/pager';
import {
  alertBox,
  field,
  fillForm,
  flash,
  fullName,
  heading,
  newPerson,
  signUp,
  snap,
  submit,
} from './support/site';
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx', 'chromium']);

const SEED = { users: 5, orders: 120, messages: 10 };
const ORDERS_PAGE_SIZE = 25;
const CARD = '4111 1111 1111 1111';
const CARD_DIGITS = CARD.replace(/\s/g, '');

// A project-level testTimeout is ignored when the root config lists projects.
jest.setTimeout(30_000);

const { newPage } = journeyStack(SEED);

describe('orders through nginx in a real browser', () => {
  const alice = newPerson('Alice');
  let alicePage: Page;
  let orderId: string;
  let ordersAdded = 0;

  beforeAll(async () => {
    alicePage = await newPage();
    await signUp(alicePage, alice);
  });

  test('when an order form is invalid, then each error is shown beside its field and the input is kept except the card number', async () => {
    await alicePage.goto('/orders');
    await alicePage.getByRole('main').getByRole('link', { name: 'Add order' }).click();
    expect(await heading(alicePage).innerText()).toBe('Add an order');
    const today = (await field(alicePage, 'Order date')).value;
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await fillForm(alicePage, {
      'Store code': 'bad code!',
      'Product code': 'SKU-1',
      Quantity: '0',
      'Card number': '4111 1111 1111 1112',
    });
    expect(await submit(alicePage, 'Add order')).toBe(400);

    expect(path(alicePage)).toBe('/orders');
    expect(await alertBox(alicePage).innerText()).toBe('Please correct the highlighted fields.');
    const error = (invalid: boolean, description: RegExp) => ({
      invalid,
      description: expect.stringMatching(description),
    });
    expect(await field(alicePage, 'Store code')).toEqual({
      value: 'bad code!',
      ...error(true, /only letters, digits and dashes/),
    });
    expect(await field(alicePage, 'Product code')).toMatchObject({
      value: 'SKU-1',
      invalid: false,
    });
    expect(await field(alicePage, 'Quantity')).toEqual({
      value: '0',
      ...error(true, /at least 1/),
    });
    expect(await field(alicePage, 'Card number')).toEqual({
      value: '',
      ...error(true, /not valid/),
    });
    expect(await field(alicePage, 'Order date')).toMatchObject({ value: today, invalid: false });
    expect(await field(alicePage, 'Shipping date')).toEqual({
      value: '',
      ...error(true, /required/),
    });
    expect(await alicePage.content()).not.toMatch(/4111 ?1111 ?1111 ?1112/);
    await snap(alicePage, 'order-form');
  });

  test('when a valid order is added, then it is first in the list with the card masked and the full number nowhere on the page', async () => {
    const product = `SKU-${alice.surname.slice(-8)}`;
    await fillForm(alicePage, {
      'Store code': 'STORE-7',
      'Product code': product,
      Quantity: '3',
      'Card number': CARD,
      'Shipping date': (await field(alicePage, 'Order date')).value,
    });
    expect(await submit(alicePage, 'Add order')).toBe(200);
    ordersAdded += 1;

    orderId = /^\/orders\/([0-9a-f-]{36})$/.exec(path(alicePage))?.[1] ?? '';
    expect(orderId).not.toBe('');
    expect(await flash(alicePage).innerText()).toBe('The order was added.');
    const details = await alicePage.locator('dl').innerText();
    expect(details).toContain('Visa •••• 1111');
    expect(details).toContain(product);
    expect(await alicePage.content()).not.toContain(CARD_DIGITS);
    await snap(alicePage, 'order');

    await alicePage.getByRole('link', { name: 'Orders', exact: true }).last().click();
    expect(path(alicePage)).toBe('/orders');
    const first = alicePage.getByRole('table').getByRole('row').nth(1);
    expect(await first.getByRole('link', { name: orderId }).count()).toBe(1);
    const cells = await first.getByRole('cell').allInnerTexts();
    expect(cells).toEqual([
      orderId,
      fullName(alice),
      'Visa •••• 1111',
      'STORE-7',
      product,
      '3',
      expect.any(String),
      expect.any(String),
      'Placed',
    ]);
    const html = await alicePage.content();
    expect(html).not.toContain(CARD_DIGITS);
    expect(html).not.toContain(CARD);
    await snap(alicePage, 'orders');
  });

  test('when paging the orders to the last page and back, then the status line, the links and the rows follow', async () => {
    const total = SEED.orders + ordersAdded;
    const last = Math.ceil(total / ORDERS_PAGE_SIZE);
    const href = (n: number) => `/orders?page=${n}`;
    const step = (name: string) =>
      alicePage
        .getByRole('navigation', { name: 'Orders pages' })
        .getByRole('link', { name, exact: true });
    const expectPage = async (n: number) => {
      expect(new URL(alicePage.url()).searchParams.get('page') ?? '1').toBe(String(n));
      expect(await readPager(alicePage, 'Orders pages')).toEqual({
        status: `Page ${n} of ${last}`,
        current: String(n),
        links: {
          first: n > 1 ? href(1) : null,
          previous: n > 1 ? href(n - 1) : null,
          next: n < last ? href(n + 1) : null,
          last: n < last ? href(last) : null,
        },
      });
      const ids = await firstColumn(alicePage);
      expect(ids).toHaveLength(n < last ? ORDERS_PAGE_SIZE : total - ORDERS_PAGE_SIZE * (last - 1));
      return ids;
    };

    await alicePage.goto('/orders');
    const seen = [await expectPage(1)];
    expect(seen[0][0]).toBe(orderId);
    for (let n = 2; n <= last; n += 1) {
      await step('Next ›').click();
      seen.push(await expectPage(n));
    }
    expect(new Set(seen.flat()).size).toBe(total);

    await step('‹ Previous').click();
    expect(await expectPage(last - 1)).toEqual(seen[last - 2]);
    await step('« First').click();
    expect(await expectPage(1)).toEqual(seen[0]);
    await step('Last »').click();
    expect(await expectPage(last)).toEqual(seen[last - 1]);

    // A page past the end (a stale bookmark) lands on the last one.
    await alicePage.goto(href(last + 50));
    await expectPage(last);
  });

  test('when the list is filtered by shipping state, then the filter lives in the URL and the form, and paging on keeps it', async () => {
    await alicePage.goto('/orders');
    await alicePage.getByLabel('Shipping').selectOption({ label: 'Shipped' });
    await alicePage.getByRole('button', { name: 'Find orders' }).click();
    const url = new URL(alicePage.url());
    expect(url.pathname).toBe('/orders');
    expect(url.searchParams.get('shipping')).toBe('shipped');
    expect(await alicePage.getByLabel('Shipping').inputValue()).toBe('shipped');
    const count = Number(/(\d+) orders/.exec(await alicePage.getByRole('main').innerText())?.[1]);
    expect(count).toBeGreaterThan(ORDERS_PAGE_SIZE);
    const states = async () =>
      alicePage.getByRole('table').getByRole('row').locator('td:last-child').allInnerTexts();
    const page1 = await firstColumn(alicePage);
    expect(page1).toHaveLength(ORDERS_PAGE_SIZE);
    expect(new Set(await states())).toEqual(new Set(['Shipped', 'Delivered']));

    await alicePage
      .getByRole('navigation', { name: 'Orders pages' })
      .getByRole('link', { name: 'Next ›' })
      .click();
    const next = new URL(alicePage.url());
    expect(next.searchParams.get('shipping')).toBe('shipped');
    expect(next.searchParams.get('cursor')).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
    const page2 = await firstColumn(alicePage);
    expect(page2.filter((id) => page1.includes(id))).toEqual([]);
    expect(await alicePage.getByLabel('Shipping').inputValue()).toBe('shipped');
    await snap(alicePage, 'orders-filtered');
  });

  test('when an order is found, opened and shipped, then its page shows the new state and who shipped it when', async () => {
    await alicePage.goto('/orders');
    await fillForm(alicePage, { 'Store code': 'STORE-7' });
    await alicePage.getByRole('button', { name: 'Find orders' }).click();
    expect(new URL(alicePage.url()).searchParams.get('storeCode')).toBe('STORE-7');
    await alicePage.getByRole('link', { name: orderId }).click();
    expect(path(alicePage)).toBe(`/orders/${orderId}`);
    const shippedOn = (await field(alicePage, 'Shipped on')).value;
    expect(await submit(alicePage, 'Mark shipped')).toBe(200);

    expect(path(alicePage)).toBe(`/orders/${orderId}`);
    expect(await flash(alicePage).innerText()).toBe('The order was updated.');
    const details = await alicePage.locator('dl').innerText();
    expect(details).toContain('Shipped');
    expect(details).toContain(shippedOn);
    const history = alicePage.getByRole('region', { name: 'History' }).getByRole('listitem');
    expect(await history.allInnerTexts()).toEqual([
      expect.stringMatching(new RegExp(`^Placed by ${fullName(alice)}`)),
      expect.stringMatching(
        new RegExp(`^Shipped \\(shipped on ${shippedOn}\\) by ${fullName(alice)}`),
      ),
    ]);
    expect(await alicePage.getByRole('button', { name: 'Mark delivered' }).count()).toBe(1);
    await snap(alicePage, 'order-shipped');
  });

  test('when the filtered list is exported, then a CSV of its orders downloads', async () => {
    await alicePage.goto('/orders?storeCode=STORE-7');
    const [download] = await Promise.all([
      alicePage.waitForEvent('download'),
      alicePage.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('orders.csv');
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^id,state,store_code,/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${orderId},shipped,STORE-7,`)),
    ]);
    expect(lines.join('\n')).not.toContain(CARD_DIGITS);
  });
});
