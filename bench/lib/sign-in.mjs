// Signing in as the seed's first demo user: through nginx the way a browser does (the
// login form's CSRF token, the session cookie, then the pages the scenarios need), or
// to the API with its bearer token.

/** The account `npm run db:seed` makes first, with its fixed demo password. */
const DEMO = { email: 'demo1@tradepost.test', password: 'tradepost-demo-password' };

/** A fetch that keeps cookies in `jar` and does not follow redirects. */
async function fetchWithJar(jar, url, init = {}) {
  const res = await fetch(url, {
    ...init,
    redirect: 'manual',
    headers: { ...init.headers, cookie: cookieHeader(jar) },
  });
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return res;
}

const cookieHeader = (jar) => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
const csrfOf = (html) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/**
 * Sign in as the seed's first demo user through `url` (nginx).
 * @param {string} url
 * @returns {Promise<{ headers: { cookie: string }, peer: string, csrf: string }>}
 *   the cookie header, someone the user has a conversation with, a CSRF token for forms
 */
export async function signInThroughNginx(url) {
  const jar = new Map();
  const loginPage = await (await fetchWithJar(jar, `${url}/login`)).text();
  const form = new URLSearchParams({
    _csrf: csrfOf(loginPage),
    email: DEMO.email,
    password: DEMO.password,
  });
  const login = await fetchWithJar(jar, `${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: form.toString(),
  });
  if (login.status !== 303) throw new Error(`sign-in through nginx failed: ${login.status}`);
  const conversations = await (await fetchWithJar(jar, `${url}/messages`)).text();
  const peer = /href="\/messages\/(\d+)"/.exec(conversations)?.[1] ?? '2';
  const orderForm = await (await fetchWithJar(jar, `${url}/orders/new`)).text();
  return { headers: { cookie: cookieHeader(jar) }, peer, csrf: csrfOf(orderForm) };
}

/**
 * Sign in to the API at `base` as the seed's first demo user; also finds someone they
 * have a conversation with.
 * @param {string} base
 * @returns {Promise<{ auth: { authorization: string }, user: { id: number }, peer: number }>}
 */
export async function signInToApi(base) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: DEMO.email, password: DEMO.password }),
  });
  if (login.status !== 200) throw new Error(`sign-in to the API failed: ${login.status}`);
  const { token, user } = await login.json();
  const auth = { authorization: `Bearer ${token}` };
  const conversations = await (
    await fetch(`${base}/api/v1/conversations?limit=1`, { headers: auth })
  ).json();
  return { auth, user, peer: conversations.items[0]?.peer.id ?? 2 };
}
