import { h } from '../html';
interface PaginationProps {
  page: number;
  totalPages: number;
  /** Builds the link for a page number. */
  href: (page: number) => string;
  label: string;
}

/** Page numbers around the current one; the ends are always reachable. */
export function pageWindow(page: number, totalPages: number, radius = 2): number[] {
  const start = Math.max(1, Math.min(page - radius, totalPages - 2 * radius));
  const end = Math.min(totalPages, start + 2 * radius);
  const out: number[] = [];
  for (let p = start; p <= end; p += 1) out.push(p);
  return out;
}

function Step(props: { to: number; enabled: boolean; href: string; rel?: string; text: string }) {
  if (!props.enabled) {
    return (
      <li>
        <span class="pagination__step" aria-disabled="true">
          {props.text}
        </span>
      </li>
    );
  }
  return (
    <li>
      <a class="pagination__step" href={props.href} rel={props.rel}>
        {props.text}
      </a>
    </li>
  );
}

export function Pagination({ page, totalPages, href, label }: PaginationProps) {
  const last = Math.max(1, totalPages);
  return (
    <nav class="pagination" aria-label={label}>
      <p class="pagination__status">
        Page {page} of {last}
      </p>
      <ul class="pagination__list">
        <Step to={1} enabled={page > 1} href={href(1)} text="« First" />
        <Step to={page - 1} enabled={page > 1} href={href(page - 1)} rel="prev" text="‹ Previous" />
        {pageWindow(page, last).map((p) => (
          <li>
            {p === page ? (
              <span class="pagination__page" aria-current="page">
                {p}
              </span>
            ) : (
              <a class="pagination__page" href={href(p)}>
                {p}
              </a>
            )}
          </li>
        ))}
        <Step to={page + 1} enabled={page < last} href={href(page + 1)} rel="next" text="Next ›" />
        <Step to={last} enabled={page < last} href={href(last)} text="Last »" />
      </ul>
    </nav>
  );
}
