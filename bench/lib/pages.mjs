// Which orders page the benchmarks use as the deep one.

/** The benchmarks' deep page: page 20,000, as in the targets. */
export const DEEP_PAGE = 20_000;

/**
 * The deep page to ask for over `orders` orders of `pageSize`: page 20,000, or the
 * last full page when the seed holds fewer. Past the end there is nothing to read
 * (the API answers an empty page, the frontend a redirect), so it would measure
 * neither the depth nor the page.
 * @param {number} orders
 * @param {number} [pageSize]
 */
export function deepPage(orders, pageSize = 25) {
  return Math.max(1, Math.min(DEEP_PAGE, Math.floor(orders / pageSize)));
}

/** "page 20,000" */
export const pageLabel = (page) => `page ${page.toLocaleString('en-US')}`;
