import { h, Fragment, type Children } from './html';
import type { Role } from '../backend/types';
import { ActionButton } from './components/form';

export interface Chrome {
  stylesheet: string;
  path: string;
  user?: { id: number; name: string; role: Role };
  csrfToken?: string;
  flash?: string;
}

const SECTIONS = [
  { href: '/', label: 'Home' },
  { href: '/messages', label: 'Messages' },
  { href: '/orders', label: 'Orders' },
  { href: '/users', label: 'Users' },
];

function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

function Header({ chrome }: { chrome: Chrome }) {
  const { user, csrfToken, path } = chrome;
  return (
    <header class="site-header">
      <div class="site-header__inner">
        <a class="brand" href="/">
          Tradepost
        </a>
        {user ? (
          <nav class="site-nav" aria-label="Main">
            <ul>
              {SECTIONS.map((s) => (
                <li>
                  <a href={s.href} aria-current={isCurrent(path, s.href) ? 'page' : undefined}>
                    {s.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div class="site-header__account">
          {user ? (
            <>
              <a href={`/users/${user.id}`} class="whoami">
                {user.name}
                {user.role === 'admin' ? <span class="badge">admin</span> : null}
              </a>
              {csrfToken ? (
                <ActionButton action="/logout" csrf={csrfToken} label="Sign out" />
              ) : null}
            </>
          ) : (
            <>
              <a href="/login">Log in</a>
              <a href="/signup" class="button button--small">
                Sign up
              </a>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

export function Layout(props: { title: string; chrome: Chrome; children: Children }) {
  const { chrome } = props;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Tradepost`}</title>
        <link rel="stylesheet" href={chrome.stylesheet} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          Skip to content
        </a>
        <Header chrome={chrome} />
        <main id="main" class="container" tabIndex={-1}>
          {chrome.flash ? (
            <div class="alert alert--success" role="status">
              {chrome.flash}
            </div>
          ) : null}
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="container">Tradepost · accounts, messages and orders</div>
        </footer>
      </body>
    </html>
  );
}
