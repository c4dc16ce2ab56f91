import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { launchChromium } from './support/browser';
import { firstColumn, readPager } from './support/pager';
import {
  alertBox,
  field,
  fillForm,
  fillSignup,
  flash,
  fullName,
  heading,
  logIn,
  newPerson,
  ownId,
  signUp,
  snap,
  submit,
  visibleText,
} from './support/site';

const SEED = { users: 5, orders: 120, messages: 10 };
const ORDERS_PAGE_SIZE = 25;
const CARD = '4111 1111 1111 1111';
const CARD_DIGITS = CARD.replace(/\s/g, '');

// A project-level testTimeout is ignored when the root config lists projects.
jest.setTimeout(30_000);

let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: stack.url });
  // A page that never arrives fails the step with Playwright's own message, within the test.
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return context.newPage();
}

const path = (page: Page) => new URL(page.url()).pathname;
const bubble = (page: Page, text: string) => page.getByRole('listitem').filter({ hasText: text });

beforeAll(async () => {
  // The browser first: a missing Chromium fails here, before the stack is started.
  browser = await launchChromium();
  stack = await startStack({
    frontends: 3,
    database: 'auto',
    seed: SEED,
    // Several people sign in from 127.0.0.1; the limit itself is tested with nginx.
    nginxEnv: { NGINX_AUTH_RATE: '600r/m', NGINX_AUTH_BURST: '50' },
    // Nothing is in flight at the end; draining on shutdown is the fault tests' subject.
    frontendEnv: { SHUTDOWN_DRAIN_MS: '0' },
    backendEnv: { SHUTDOWN_DRAIN_MS: '0' },
  });
}, 90_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close()));
  await browser?.close();
  await stack?.stop();
}, 30_000);

describe('journeys through nginx in a real browser', () => {
  const alice = newPerson('Alice');
  const bob = newPerson('Bob');
  let alicePage: Page;
  let bobPage: Page;
  let aliceId: number;
  let bobId: number;
  let messageId: string;
  let orderId: string;
  let ordersAdded = 0;
  const message = `The parcel left the depot this morning ${alice.surname}`;

  test('when a visitor signs up, then they are signed in on their own home page', async () => {
    alicePage = await newPage();
    await alicePage.goto('/signup');
    await fillSignup(alicePage, alice);
    expect(await submit(alicePage, 'Sign up')).toBe(200);

    expect(path(alicePage)).toBe('/');
    expect(await flash(alicePage).innerText()).toBe('Welcome to Tradepost! Your account is ready.');
    expect(await heading(alicePage).innerText()).toBe(`Hello, ${alice.name}`);
    expect(await alicePage.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    await snap(alicePage, 'home');

    bobPage = await newPage();
    aliceId = await ownId(alicePage, alice);
    bobId = await signUp(bobPage, bob);
    expect(bobId).not.toBe(aliceId);
  });

  test('when someone signs up with a taken email, then it is refused beside the email field, the input kept and the password emptied', async () => {
    const page = await newPage();
    await page.goto('/signup');
    const intruder = { ...newPerson('Mallory'), email: alice.email.toUpperCase() };
    await fillSignup(page, intruder);
    expect(await submit(page, 'Sign up')).toBe(409);

    expect(path(page)).toBe('/signup');
    expect(await heading(page).innerText()).toBe('Create your account');
    expect(await alertBox(page).innerText()).toBe('Please correct the highlighted fields.');
    const email = await field(page, 'Email');
    expect(email).toEqual({
      value: intruder.email,
      invalid: true,
      description: expect.stringMatching(/already exists/),
    });
    expect(await field(page, 'First name')).toMatchObject({ value: intruder.name, invalid: false });
    expect(await field(page, 'Surname')).toMatchObject({ value: intruder.surname, invalid: false });
    expect((await field(page, 'Password')).value).toBe('');
    expect(await page.content()).not.toContain(intruder.password);
    expect(await page.getByRole('banner').getByRole('link', { name: 'Log in' }).count()).toBe(1);
    await snap(page, 'signup');
  });

  test('when a member opens a closed page and logs in, then a wrong password is refused and the right one brings them back to it', async () => {
    const page = await newPage();
    await page.goto('/orders');
    expect(path(page)).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/orders');

    await page.getByLabel('Email', { exact: true }).fill(alice.email);
    await page.getByLabel('Password', { exact: true }).fill(`${alice.password}!`);
    expect(await submit(page, 'Log in')).toBe(401);
    expect(await alertBox(page).innerText()).toBe('Email or password is incorrect.');
    expect(await field(page, 'Email')).toMatchObject({ value: alice.email });
    expect((await field(page, 'Password')).value).toBe('');
    await snap(page, 'login');

    expect(await logIn(page, alice)).toBe(aliceId);
    expect(path(page)).toBe('/orders');
    expect(await flash(page).innerText()).toBe('You are signed in.');
  });

  test('when a member sends a message, then both people see it in their history and only the sender may delete it', async () => {
    await alicePage
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Messages' })
      .click();
    await alicePage.getByRole('link', { name: 'New message' }).click();
    await alicePage.getByRole('link', { name: fullName(bob), exact: true }).click();
    expect(await heading(alicePage).innerText()).toBe(`Conversation with ${fullName(bob)}`);
    await alicePage.getByLabel('Your message').fill(message);
    expect(await submit(alicePage, 'Send')).toBe(200);

    expect(path(alicePage)).toBe(`/messages/${bobId}`);
    expect(await flash(alicePage).innerText()).toBe('Message sent.');
    const sent = bubble(alicePage, message);
    expect(await sent.count()).toBe(1);
    expect(await sent.innerText()).toMatch(/^You ·/);
    const deleteForm = sent.locator('form', {
      has: alicePage.getByRole('button', { name: 'Delete' }),
    });
    messageId =
      /\/messages\/\d+\/(\d+)\/delete$/.exec(
        (await deleteForm.getAttribute('action')) ?? '',
      )?.[1] ?? '';
    expect(messageId).not.toBe('');
    await snap(alicePage, 'conversation');

    await bobPage.goto('/messages');
    const conversation = bobPage.getByRole('listitem').filter({ hasText: fullName(alice) });
    expect(await conversation.innerText()).toContain(message);
    await conversation.getByRole('link', { name: fullName(alice) }).click();
    expect(path(bobPage)).toBe(`/messages/${aliceId}`);
    const received = bubble(bobPage, message);
    expect(await received.count()).toBe(1);
    expect(await received.innerText()).toMatch(new RegExp(`^${alice.name} ·`));
    expect(await received.getByRole('button', { name: 'Delete' }).count()).toBe(0);
  });

  test('when the recipient forges a delete with their own valid form token, then it is refused and the message stays', async () => {
    const token = await bobPage.locator('input[name="_csrf"]').first().inputValue();
    const forged = await bobPage.request.post(`/messages/${aliceId}/${messageId}/delete`, {
      form: { _csrf: token },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    // Refused for not being the sender, not for a bad token.
    expect(await forged.text()).toContain('You are not allowed to do that.');

    await alicePage.reload();
    expect(await bubble(alicePage, message).count()).toBe(1);
    await bobPage.goto(`/messages/${aliceId}`);
    expect(await bubble(bobPage, message).count()).toBe(1);
  });

  test('when the sender deletes the message, then it is gone from both histories', async () => {
    expect(
      await submit(alicePage, bubble(alicePage, message).getByRole('button', { name: 'Delete' })),
    ).toBe(200);
    expect(path(alicePage)).toBe(`/messages/${bobId}`);
    expect(await flash(alicePage).innerText()).toBe('Message deleted.');
    expect(await bubble(alicePage, message).count()).toBe(0);
    expect(await visibleText(alicePage)).toContain('No messages yet. Say hello!');

    await bobPage.reload();
    expect(await bubble(bobPage, message).count()).toBe(0);
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

  test('when JavaScript is disabled, then logging in and sending a message still work', async () => {
    const page = await newPage({ javaScriptEnabled: false });
    await page.goto('/login');
    expect(await logIn(page, bob)).toBe(bobId);
    expect(path(page)).toBe('/');

    await page.goto(`/messages/${aliceId}`);
    const reply = `Thanks, noted without any script ${bob.surname}`;
    await page.getByLabel('Your message').fill(reply);
    expect(await submit(page, 'Send')).toBe(200);
    expect(await flash(page).innerText()).toBe('Message sent.');
    expect(await bubble(page, reply).innerText()).toMatch(/^You ·/);

    await alicePage.goto(`/messages/${bobId}`);
    expect(await bubble(alicePage, reply).innerText()).toMatch(new RegExp(`^${bob.name} ·`));
  });

  test('when a member signs out, then every closed page sends them to log in and the old session cookie is dead', async () => {
    const oldCookies = await alicePage.context().cookies();
    expect(await submit(alicePage, 'Sign out')).toBe(200);
    expect(path(alicePage)).toBe('/login');
    expect(await flash(alicePage).innerText()).toBe('You have been signed out.');
    expect(await alicePage.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    const closed = [
      '/',
      '/users',
      `/users/${bobId}`,
      '/messages',
      '/messages/new',
      `/messages/${bobId}`,
      '/orders',
      '/orders?page=2',
      '/orders/new',
      `/orders/${orderId}`,
    ];
    for (const target of closed) {
      await alicePage.goto(target);
      expect({ target, at: path(alicePage) }).toEqual({ target, at: '/login' });
      expect(await heading(alicePage).innerText()).toBe('Log in');
      expect(await visibleText(alicePage)).not.toMatch(new RegExp(`${orderId}|${bob.surname}`));
    }

    // Replaying the cookie from before sign-out must not open a session again.
    const replay = await newPage();
    await replay.context().addCookies(oldCookies);
    await replay.goto('/orders');
    expect(path(replay)).toBe('/login');
    expect(await flash(replay).innerText()).toBe('Your session has ended. Please sign in again.');
    expect(await replay.getByRole('table').count()).toBe(0);
  });
});
