import type { Page } from 'playwright-core';
import { journeyStack, path } from './support/journey';
import {
  alertBox,
  field,
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
import { needing } from '../../scripts/lib/test-deps';

const describe = needing(['nginx', 'chromium']);

// A project-level testTimeout is ignored when the root config lists projects.
jest.setTimeout(30_000);

const { newPage } = journeyStack({ users: 5, orders: 30, messages: 10 });
const bubble = (page: Page, text: string) => page.getByRole('listitem').filter({ hasText: text });
/** An order id nobody has: a closed page must not say so before sign-in. */
const ANY_ORDER = '00000000-0000-4000-8000-000000000000';

describe('accounts and messages through nginx in a real browser', () => {
  const alice = newPerson('Alice');
  const bob = newPerson('Bob');
  let alicePage: Page;
  let bobPage: Page;
  let aliceId: number;
  let bobId: number;
  let messageId: string;
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
      `/orders/${ANY_ORDER}`,
    ];
    for (const target of closed) {
      await alicePage.goto(target);
      expect({ target, at: path(alicePage) }).toEqual({ target, at: '/login' });
      expect(await heading(alicePage).innerText()).toBe('Log in');
      expect(await visibleText(alicePage)).not.toMatch(new RegExp(bob.surname));
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
