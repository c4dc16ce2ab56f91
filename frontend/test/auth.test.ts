import { cookieHeader, visitor } from './helpers/app';
import { PASSWORD, signedUpMember, startStack, uniqueEmail, type Stack } from './helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('sign up, log in, log out (real backend)', () => {
  it('when a newcomer signs up, then they land signed in on the home page with a welcome flash', async () => {
    const v = visitor(stack.frontend.app);
    const form = await v.get('/signup');
    const anonymousSid = cookieHeader(form).find((c) => c.startsWith('sid='));
    const res = await v.post('/signup', {
      name: 'Ada',
      surname: 'Lovelace',
      email: uniqueEmail('ada'),
      password: PASSWORD,
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const signedInSid = cookieHeader(res).find((c) => c.startsWith('sid='));
    expect(signedInSid).toBeDefined();
    expect(signedInSid!.split(';')[0]).not.toBe(anonymousSid!.split(';')[0]);
    const home = await v.get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Hello, Ada');
    expect(home.text).toContain('Welcome to Tradepost!');
  });

  it('when the email is taken in another letter case, then the error sits beside the email field and input is kept, not the password', async () => {
    const member = await signedUpMember(stack, 'Taken');
    const v = visitor(stack.frontend.app);
    await v.get('/signup');
    const res = await v.post('/signup', {
      name: 'Second',
      surname: 'Person',
      email: member.email.toUpperCase(),
      password: 'another-secret-password',
    });
    expect(res.status).toBe(409);
    expect(res.text).toMatch(
      /<input id="field-email"[^>]*value="[^"]+"[^>]*aria-invalid="true" aria-describedby="field-email-error"/,
    );
    expect(res.text).toContain('id="field-email-error"');
    expect(res.text).toContain('value="Second"');
    expect(res.text).not.toContain('another-secret-password');
  });

  it('when every field is invalid, then each gets its own error tied by aria-describedby', async () => {
    const v = visitor(stack.frontend.app);
    await v.get('/signup');
    const res = await v.post('/signup', {
      name: '',
      surname: '',
      email: 'not-an-email',
      password: 'short',
    });
    expect(res.status).toBe(400);
    for (const field of ['name', 'surname', 'email', 'password']) {
      expect(res.text).toContain(`id="field-${field}-error"`);
      expect(res.text).toMatch(new RegExp(`aria-describedby="[^"]*field-${field}-error`));
    }
    expect(res.text).toContain('value="not-an-email"');
  });

  it('when the password is wrong, then one generic message is shown and nobody is signed in', async () => {
    const member = await signedUpMember(stack, 'Wrong');
    const v = visitor(stack.frontend.app);
    await v.get('/login');
    const res = await v.post('/login', { email: member.email, password: 'not the password!' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('Email or password is incorrect.');
    expect(res.text).toContain(`value="${member.email}"`);
    const home = await v.get('/');
    expect(home.status).toBe(303);
  });

  it('when a member logs out, then the old session cookie no longer opens any page', async () => {
    const member = await signedUpMember(stack, 'Leaving');
    const before = await member.get('/orders');
    expect(before.status).toBe(200);
    const saved = String(before.request.getHeader('cookie') ?? '');
    const out = await member.post('/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    // Replaying the old signed cookie: the backend revoked its token.
    const replay = await visitor(stack.frontend.app).agent.get('/orders').set('Cookie', saved);
    expect(replay.status).toBe(303);
    expect(replay.headers.location).toMatch(/^\/login/);
  });

  it('when logging in with a next page, then the user is sent back there (same site only)', async () => {
    const member = await signedUpMember(stack, 'Next');
    const v = visitor(stack.frontend.app);
    await v.get('/login?next=%2Forders%3Fpage%3D1');
    const res = await v.post('/login', {
      email: member.email,
      password: PASSWORD,
      next: '/orders?page=1',
    });
    expect(res.headers.location).toBe('/orders?page=1');
    const w = visitor(stack.frontend.app);
    await w.get('/login');
    const evil = await w.post('/login', {
      email: member.email,
      password: PASSWORD,
      next: '//evil.example/',
    });
    expect(evil.headers.location).toBe('/');
  });
});
