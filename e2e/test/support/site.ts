import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

export interface Person {
  name: string;
  surname: string;
  email: string;
  password: string;
}

const RUN = randomBytes(4).toString('hex');

/** A person no other run (or seeded row) shares: unique email and surname. */
export function newPerson(name: string): Person {
  const tag = `${RUN}${randomBytes(2).toString('hex')}`;
  return {
    name,
    surname: `Tester-${tag}`,
    email: `${name.toLowerCase()}-${tag}@example.test`,
    password: `a long walk by the river ${tag}`,
  };
}

export const fullName = (p: Person) => `${p.name} ${p.surname}`;

const SCREENSHOTS = path.join(__dirname, '..', '..', 'screenshots');

/** One screenshot per page type, overwritten on every run. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/**
 * Clicks a form's submit button and resolves with the status of the page the
 * browser finally shows (after any 303 redirect).
 */
export async function submit(page: Page, button: string | Locator): Promise<number> {
  const shown = page.waitForResponse(
    (r) =>
      r.request().isNavigationRequest() &&
      r.frame() === page.mainFrame() &&
      (r.status() < 300 || r.status() >= 400),
  );
  const target =
    typeof button === 'string' ? page.getByRole('button', { name: button, exact: true }) : button;
  await target.click();
  const response = await shown;
  await page.waitForLoadState('domcontentloaded');
  return response.status();
}

export interface FieldState {
  value: string;
  invalid: boolean;
  /** The text tied to the input by aria-describedby: its hint and its error. */
  description: string;
}

/** What a screen reader would hear for a labelled field, plus its current value. */
export async function field(page: Page, label: string): Promise<FieldState> {
  const input = page.getByLabel(label, { exact: true });
  const ids = (await input.getAttribute('aria-describedby'))?.split(/\s+/).filter(Boolean) ?? [];
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return {
    value: await input.inputValue(),
    invalid: (await input.getAttribute('aria-invalid')) === 'true',
    description: texts.join(' '),
  };
}

export const flash = (page: Page) => page.getByRole('status');
export const alertBox = (page: Page) => page.getByRole('alert');
export const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** Types into labelled fields, in order. */
export async function fillForm(page: Page, values: Record<string, string>): Promise<void> {
  for (const [label, value] of Object.entries(values)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
}

export async function fillSignup(page: Page, person: Person): Promise<void> {
  await fillForm(page, {
    'First name': person.name,
    Surname: person.surname,
    Email: person.email,
    Password: person.password,
  });
}

/** Signs up through the form and returns the new user's id (from the header link). */
export async function signUp(page: Page, person: Person): Promise<number> {
  await page.goto('/signup');
  await fillSignup(page, person);
  const status = await submit(page, 'Sign up');
  if (status !== 200) throw new Error(`sign-up of ${person.email} answered ${status}`);
  return ownId(page, person);
}

export async function logIn(page: Page, person: Person): Promise<number> {
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  const status = await submit(page, 'Log in');
  if (status !== 200) throw new Error(`log-in of ${person.email} answered ${status}`);
  return ownId(page, person);
}

/** The signed-in user's id, read from the account link in the header. */
export async function ownId(page: Page, person: Person): Promise<number> {
  const href = await page
    .getByRole('banner')
    .getByRole('link', { name: person.name, exact: true })
    .getAttribute('href');
  const id = /^\/users\/(\d+)$/.exec(href ?? '')?.[1];
  if (!id) throw new Error(`no account link for ${person.name} in the header (href ${href})`);
  return Number(id);
}

/** The page's text as a person sees it (no hidden inputs, no markup). */
export const visibleText = (page: Page) => page.locator('body').innerText();
