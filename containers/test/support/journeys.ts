import type { Page } from 'playwright-core';
import {
  field,
  fillForm,
  flash,
  fullName,
  newPerson,
  submit,
  type Person,
} from '../../../e2e/test/support/site';

/**
 * The named subset of the browser journeys (e2e/test/journeys.test.ts holds them all),
 * for a Tradepost reached through its nginx container: each step throws with what the
 * browser showed when the page is not what a person would expect.
 */
const path = (page: Page) => new URL(page.url()).pathname;

function expectShown(what: string, actual: string, expected: string) {
  if (actual !== expected)
    throw new Error(`${what}: expected "${expected}", the page shows "${actual}"`);
}

/** Signs in on /login; resolves with the user's id from the header's account link. */
export async function signIn(page: Page, person: Person): Promise<number> {
  await page.goto('/login');
  await fillForm(page, { Email: person.email, Password: person.password });
  const status = await submit(page, 'Log in');
  if (status !== 200) throw new Error(`signing in as ${person.email} answered ${status}`);
  expectShown('after signing in', await flash(page).innerText(), 'You are signed in.');
  const href = await page.getByRole('banner').locator('a.whoami').getAttribute('href');
  const id = Number(/^\/users\/(\d+)$/.exec(href ?? '')?.[1]);
  if (!id) throw new Error(`no account link in the header after signing in (href ${href})`);
  return id;
}

/** An admin creates a member account (the way a closed sign-up adds people). */
export async function createMember(admin: Page): Promise<{ person: Person; id: number }> {
  const person = newPerson('Mina');
  await admin.goto('/users/new');
  await fillForm(admin, {
    'First name': person.name,
    Surname: person.surname,
    Email: person.email,
    'Initial password': person.password,
  });
  const status = await submit(admin, 'Create user');
  if (status !== 200) throw new Error(`creating a member answered ${status}`);
  expectShown('after creating a user', await flash(admin).innerText(), 'The user was created.');
  const id = Number(/^\/users\/(\d+)$/.exec(path(admin))?.[1]);
  if (!id) throw new Error(`creating a member landed on ${admin.url()}`);
  return { person, id };
}

/** Adds an order through the form; resolves with its id once it heads the orders page. */
export async function addOrder(page: Page): Promise<string> {
  await page.goto('/orders');
  await page.getByRole('main').getByRole('link', { name: 'Add order' }).click();
  const product = `SKU-${Date.now().toString(36).toUpperCase()}`;
  await fillForm(page, {
    'Store code': 'STORE-1',
    'Product code': product,
    Quantity: '2',
    'Card number': '4111 1111 1111 1111',
    'Shipping date': (await field(page, 'Order date')).value,
  });
  const status = await submit(page, 'Add order');
  if (status !== 200) throw new Error(`adding an order answered ${status}`);
  expectShown('after adding an order', await flash(page).innerText(), 'The order was added.');
  const id = /^\/orders\/([0-9a-f-]{36})$/.exec(path(page))?.[1];
  if (!id) throw new Error(`adding an order landed on ${page.url()}`);
  await page.goto('/orders');
  const first = page.getByRole('table').getByRole('row').nth(1);
  if ((await first.getByRole('link', { name: id }).count()) !== 1) {
    throw new Error(`order ${id} is not first on the orders page`);
  }
  return id;
}

/** Sends a message to `to`; the recipient's page shows it from the sender. */
export async function sendMessage(from: Page, sender: Person, to: Page, toId: number) {
  const text = `Parcel on its way ${Date.now()}`;
  await from.goto(`/messages/${toId}`);
  await from.getByLabel('Your message').fill(text);
  const status = await submit(from, 'Send');
  if (status !== 200) throw new Error(`sending a message answered ${status}`);
  expectShown('after sending a message', await flash(from).innerText(), 'Message sent.');
  await to.goto('/messages');
  const conversation = to.getByRole('listitem').filter({ hasText: fullName(sender) });
  if (!(await conversation.innerText()).includes(text)) {
    throw new Error(`the recipient's messages page does not show "${text}"`);
  }
}

/** Signs out; every closed page then sends the visitor to log in. */
export async function signOut(page: Page): Promise<void> {
  const status = await submit(page, 'Sign out');
  if (status !== 200) throw new Error(`signing out answered ${status}`);
  expectShown('after signing out', await flash(page).innerText(), 'You have been signed out.');
  await page.goto('/orders');
  if (path(page) !== '/login') throw new Error(`after signing out, /orders shows ${page.url()}`);
}

/** Every stylesheet and image the page links to is served (a missing asset is a 404). */
export async function brokenAssets(page: Page): Promise<string[]> {
  const urls = await page.$$eval('link[href], img[src], script[src]', (nodes) =>
    nodes.map((n) => n.getAttribute('href') ?? n.getAttribute('src') ?? ''),
  );
  const broken: string[] = [];
  for (const url of urls.filter((u) => u.startsWith('/'))) {
    const response = await page.request.get(url);
    if (response.status() !== 200) broken.push(`${url} ${response.status()}`);
  }
  return broken;
}
