import request from 'supertest';

export const PASSWORD = 'correct horse battery staple';

/** A browser-like client through nginx: keeps cookies, reads the CSRF token of the last form. */
export function visitor(base: string) {
  const agent = request.agent(base);
  let csrf = '';
  let idempotencyKey = '';
  const remember = (html: string) => {
    csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? csrf;
    idempotencyKey = /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1] ?? '';
  };
  return {
    async get(path: string) {
      const res = await agent.get(path);
      remember(res.text ?? '');
      return res;
    },
    async post(path: string, fields: Record<string, string> = {}) {
      const res = await agent
        .post(path)
        .type('form')
        .set('Sec-Fetch-Site', 'same-origin')
        .send({ _csrf: csrf, idempotencyKey, ...fields });
      remember(res.text ?? '');
      return res;
    },
  };
}

export type Visitor = ReturnType<typeof visitor>;

function expectStatus(res: { status: number; text?: string }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${res.text?.slice(0, 300)}`);
}

/** Signs up through the pages and returns the visitor, signed in, with its user id. */
export async function signUp(base: string, email: string) {
  const v = visitor(base);
  await v.get('/signup');
  const res = await v.post('/signup', { name: 'Mon', surname: 'Itor', email, password: PASSWORD });
  expectStatus(res, 303, 'sign-up');
  const home = await v.get('/');
  const id = Number(/href="\/users\/(\d+)" class="whoami"/.exec(home.text)?.[1]);
  if (!Number.isInteger(id)) throw new Error('no user id on the home page');
  return Object.assign(v, { id });
}

export async function addOrder(v: Visitor) {
  await v.get('/orders/new');
  const today = new Date().toISOString().slice(0, 10);
  const res = await v.post('/orders', {
    storeCode: 'STORE-1',
    productCode: 'SKU-42',
    quantity: '2',
    cardNumber: '4111 1111 1111 1111',
    orderDate: today,
    shippingDate: today,
  });
  expectStatus(res, 303, 'add order');
}

export async function sendMessage(v: Visitor, to: number, body: string) {
  await v.get(`/messages/${to}`);
  expectStatus(await v.post(`/messages/${to}`, { body }), 303, 'send message');
}

export async function failLogin(base: string, email: string) {
  const v = visitor(base);
  await v.get('/login');
  const res = await v.post('/login', { email, password: 'not the password at all' });
  if (res.status < 400 || res.status >= 500) throw new Error(`failed login answered ${res.status}`);
}
