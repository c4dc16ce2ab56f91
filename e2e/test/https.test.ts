import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { startStack, type Stack } from '../../scripts/lib/stack';
import { launchChromium, trustCertificate } from './support/browser';
import { fillForm, flash, heading, submit } from './support/site';
import { describeNeeding } from '../../scripts/lib/test-deps';

/**
 * The production path, locally: nginx terminates TLS (NGINX_TLS=terminate) with a
 * certificate made for this run, and a real browser signs in, adds an order and signs
 * out over HTTPS. The frontend learns the scheme from nginx alone, so this is where
 * `__Host-` cookies, `Secure` and HSTS are seen end to end.
 */
const HSTS = 'max-age=31536000; includeSubDomains';

// A project-level testTimeout is ignored when the root config lists projects.
jest.setTimeout(30_000);

describeNeeding(['nginx', 'chromium', 'openssl'], 'HTTPS end to end', () => {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    stack = await startStack({
      tls: true,
      frontends: 2,
      database: 'sqlite',
      frontendEnv: { SHUTDOWN_DRAIN_MS: '0' },
      backendEnv: { SHUTDOWN_DRAIN_MS: '0' },
    });
    browser = await launchChromium([trustCertificate(stack.tls!.cert)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await stack?.stop();
  }, 30_000);

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ baseURL: stack.url });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    return context.newPage();
  }

  /** Every document the browser was shown while `action` ran, with its headers. */
  async function documents(page: Page, action: () => Promise<unknown>): Promise<Response[]> {
    const seen: Response[] = [];
    const listener = (r: Response) => {
      if (r.request().isNavigationRequest()) seen.push(r);
    };
    page.on('response', listener);
    try {
      await action();
    } finally {
      page.off('response', listener);
    }
    return seen;
  }

  const hstsOf = (responses: Response[]) =>
    responses.map(
      (r) => `${new URL(r.url()).pathname} ${r.headers()['strict-transport-security']}`,
    );

  describe('Tradepost over HTTPS, nginx terminating TLS, in a real browser', () => {
    let page: Page;

    beforeAll(async () => {
      page = await newPage();
    });

    test('when the admin signs in, then the page is a secure context and every cookie is __Host-, Secure and HttpOnly', async () => {
      const shown = await documents(page, async () => {
        await page.goto('/login');
        await page.getByLabel('Email', { exact: true }).fill(stack.admin.email);
        await page.getByLabel('Password', { exact: true }).fill(stack.admin.password);
        expect(await submit(page, 'Log in')).toBe(200);
      });
      expect(new URL(page.url())).toMatchObject({ protocol: 'https:', pathname: '/' });
      expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
      expect(hstsOf(shown)).toEqual(shown.map((r) => `${new URL(r.url()).pathname} ${HSTS}`));

      const cookies = await page.context().cookies();
      expect(cookies.map((c) => c.name)).toContain('__Host-sid');
      for (const cookie of cookies) {
        expect(cookie).toMatchObject({
          name: expect.stringMatching(/^__Host-/),
          secure: true,
          httpOnly: true,
          path: '/',
          domain: 'localhost',
        });
      }
    });

    test('when the admin opens the orders and adds one, then it is saved over HTTPS with HSTS on every page', async () => {
      const shown = await documents(page, async () => {
        await page.goto('/orders');
        expect(await heading(page).innerText()).toBe('Orders');
        await page.getByRole('main').getByRole('link', { name: 'Add order' }).click();
        expect(await heading(page).innerText()).toBe('Add an order');
        const today = await page.getByLabel('Order date', { exact: true }).inputValue();
        await fillForm(page, {
          'Store code': 'STORE-443',
          'Product code': 'SKU-TLS',
          Quantity: '2',
          'Card number': '4111 1111 1111 1111',
          'Shipping date': today,
        });
        expect(await submit(page, 'Add order')).toBe(200);
      });
      expect(new URL(page.url()).pathname).toMatch(/^\/orders\/[0-9a-f-]{36}$/);
      expect(await flash(page).innerText()).toBe('The order was added.');
      expect(await page.locator('dl').innerText()).toContain('Visa •••• 1111');
      expect(shown.length).toBeGreaterThanOrEqual(4);
      expect(hstsOf(shown)).toEqual(shown.map((r) => `${new URL(r.url()).pathname} ${HSTS}`));
    });

    test('when the admin signs out, then the session cookie is replaced, still __Host- and Secure, and the orders ask to sign in again', async () => {
      const sid = async () => (await page.context().cookies()).find((c) => c.name === '__Host-sid');
      const before = await sid();
      expect(await submit(page, 'Sign out')).toBe(200);
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await flash(page).innerText()).toBe('You have been signed out.');
      const after = await sid();
      expect(after).toMatchObject({ secure: true, httpOnly: true });
      expect(after?.value).not.toBe(before?.value);
      await page.goto('/orders');
      expect(new URL(page.url())).toMatchObject({ protocol: 'https:', pathname: '/login' });
    });
  });

  describe('the plain-HTTP port next to it', () => {
    test('when the browser opens a page on port 80, then it lands on the same page over HTTPS', async () => {
      const page = await newPage();
      const http = new URL(stack.httpUrl);
      http.hostname = stack.tls!.host;
      const response = await page.goto(`${http.origin}/login?next=%2Forders`);
      expect(page.url()).toBe(`${stack.url}/login?next=%2Forders`);
      expect(response?.status()).toBe(200);
      const redirect = response!.request().redirectedFrom()!;
      expect(redirect.url()).toBe(`${http.origin}/login?next=%2Forders`);
      const first = await redirect.response();
      expect(first?.status()).toBe(301);
      // HSTS is for HTTPS answers only; on plain HTTP a browser must ignore it anyway.
      expect(first?.headers()['strict-transport-security']).toBeUndefined();
      expect(await heading(page).innerText()).toBe('Log in');
    });

    test('when the health path is asked on port 80, then nginx answers it there, for the load balancer', async () => {
      const res = await fetch(`${stack.httpUrl}/nginx-health`, { redirect: 'manual' });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok\n');
      const other = await fetch(`${stack.httpUrl}/orders`, { redirect: 'manual' });
      expect(other.status).toBe(301);
      expect(other.headers.get('location')).toBe(
        `https://127.0.0.1:${new URL(stack.url).port}/orders`,
      );
    });
  });
});
