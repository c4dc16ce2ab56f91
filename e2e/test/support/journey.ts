import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startStack, type Stack, type StackOptions } from '../../../scripts/lib/stack';
import { launchChromium } from './browser';

/**
 * A browser and the whole stack (three frontends behind nginx) for one test file,
 * started before its tests and stopped after them.
 */
export function journeyStack(seed: NonNullable<StackOptions['seed']>) {
  let stack: Stack;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // The browser first: a missing Chromium fails here, before the stack is started.
    browser = await launchChromium();
    stack = await startStack({
      frontends: 3,
      database: 'auto',
      seed,
      // Several people sign in from 127.0.0.1; the limit itself is tested with nginx.
      nginxEnv: { NGINX_AUTH_RATE: '600r/m', NGINX_AUTH_BURST: '50' },
      // Nothing is in flight at the end; draining on shutdown is the fault tests' subject.
      frontendEnv: { SHUTDOWN_DRAIN_MS: '0' },
      // The journeys sign newcomers up themselves, whatever NODE_ENV the run has.
      backendEnv: { SHUTDOWN_DRAIN_MS: '0', SIGNUP_POLICY: 'open' },
    });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close()));
    await browser?.close();
    await stack?.stop();
  }, 30_000);

  return {
    /** A fresh browser context (its own cookies) on the stack's nginx. */
    newPage: async (options: { javaScriptEnabled?: boolean } = {}): Promise<Page> => {
      const context = await browser.newContext({ ...options, baseURL: stack.url });
      // A page that never arrives fails the step with Playwright's own message, within the test.
      context.setDefaultTimeout(10_000);
      contexts.push(context);
      return context.newPage();
    },
  };
}

export const path = (page: Page) => new URL(page.url()).pathname;
