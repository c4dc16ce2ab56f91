import type { Page } from 'playwright-core';

const STEPS = { first: '« First', previous: '‹ Previous', next: 'Next ›', last: 'Last »' };

export interface PagerView {
  /** The "Page X of Y" line. */
  status: string;
  /** The page number marked aria-current. */
  current: string;
  /** Where each step leads, or null when it is shown but not a link. */
  links: Record<keyof typeof STEPS, string | null>;
}

/** The pagination landmark named `label`, as a person (or a screen reader) meets it. */
export async function readPager(page: Page, label: string): Promise<PagerView> {
  const nav = page.getByRole('navigation', { name: label });
  const links = {} as PagerView['links'];
  for (const [key, text] of Object.entries(STEPS) as [keyof typeof STEPS, string][]) {
    const link = nav.getByRole('link', { name: text, exact: true });
    links[key] = (await link.count()) === 0 ? null : await link.getAttribute('href');
    if (links[key] === null && (await nav.getByText(text, { exact: true }).count()) !== 1) {
      throw new Error(`"${text}" is missing from ${label}`);
    }
  }
  return {
    status: await nav.getByText(/^Page \d+ of \d+$/).innerText(),
    current: await nav.locator('[aria-current="page"]').innerText(),
    links,
  };
}

/** The text of the first cell of every body row of the page's table. */
export async function firstColumn(page: Page): Promise<string[]> {
  const rows = page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  return rows.locator('td:first-child').allInnerTexts();
}
