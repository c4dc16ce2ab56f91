import { deepPage, pageLabel } from '../lib/pages.mjs';

test('the deep page is page 20,000 when the seed holds it, else the last full page', () => {
  expect(deepPage(1_000_000)).toBe(20_000);
  expect(deepPage(500_000)).toBe(20_000);
  expect(deepPage(499_999)).toBe(19_999);
  expect(deepPage(200_000)).toBe(8_000);
  expect(deepPage(10)).toBe(1);
  expect(deepPage(1_000, 10)).toBe(100);
});

test('pages are labelled with thousands separators', () => {
  expect(pageLabel(20_000)).toBe('page 20,000');
  expect(pageLabel(8_000)).toBe('page 8,000');
  expect(pageLabel(1)).toBe('page 1');
});
