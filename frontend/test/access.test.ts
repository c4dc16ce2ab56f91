import { visitor } from './helpers/app';
import {
  PASSWORD,
  signedInAdmin,
  signedUpMember,
  startStack,
  uniqueEmail,
  type Stack,
} from './helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('invitations (real backend)', () => {
  it('when an admin makes an invitation, then the link opens a form for that address and signs the newcomer in once', async () => {
    const admin = await signedInAdmin(stack);
    await admin.get('/users/invite');
    const email = uniqueEmail('invitee');
    const made = await admin.post('/users/invite', { email, role: 'member' });
    expect(made.status).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    const path = /https?:\/\/[^/<]+(\/invite\/[A-Za-z0-9_-]{43})</.exec(made.text)?.[1];
    expect(path).toBeDefined();

    const newcomer = visitor(stack.frontend.app);
    const form = await newcomer.get(path!);
    expect(form.status).toBe(200);
    expect(form.text).toContain(email);
    const joined = await newcomer.post(path!, {
      name: 'Ivy',
      surname: 'Invited',
      password: PASSWORD,
    });
    expect(joined.status).toBe(303);
    expect((await newcomer.get('/')).text).toContain('Hello, Ivy');

    const late = visitor(stack.frontend.app);
    expect((await late.get(path!)).status).toBe(404);
  });

  it('when a member asks for the invite form to be processed, then it is refused with 403', async () => {
    const member = await signedUpMember(stack, 'Member');
    await member.get('/users');
    const res = await member.post('/users/invite', { email: uniqueEmail('friend') });
    expect(res.status).toBe(403);
  });

  it('when an invitation token is made up, then the page is 404', async () => {
    const v = visitor(stack.frontend.app);
    expect((await v.get(`/invite/${'A'.repeat(43)}`)).status).toBe(404);
    expect((await v.get('/invite/not..a..token')).status).toBe(404);
  });
});

describe('the user directory (real backend)', () => {
  it('when a member opens the directory or a colleague, then no email or role is shown; an admin sees both', async () => {
    const colleague = await signedUpMember(stack, 'Colleague');
    const member = await signedUpMember(stack, 'Reader');
    const list = await member.get('/users');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Colleague');
    expect(list.text).not.toContain(colleague.email);
    expect(list.text).not.toContain('admin@tradepost.test');
    const page = await member.get(`/users/${colleague.id}`);
    expect(page.text).not.toContain(colleague.email);
    const admin = await signedInAdmin(stack);
    expect((await admin.get(`/users/${colleague.id}`)).text).toContain(colleague.email);
  });
});

describe('passwords (real backend)', () => {
  it('when an admin resets a member, then the temporary password leads to the change form, and the new password works', async () => {
    const member = await signedUpMember(stack, 'Forgetful');
    const admin = await signedInAdmin(stack);
    await admin.get(`/users/${member.id}`);
    const reset = await admin.post(`/users/${member.id}/password-reset`);
    expect(reset.status).toBe(201);
    expect(reset.headers['cache-control']).toBe('no-store');
    const temporary = /class="temporary-password">([^<]+)</.exec(reset.text)?.[1];
    expect(temporary).toBeDefined();
    expect((await member.get('/orders')).status).toBe(303);

    const v = visitor(stack.frontend.app);
    await v.get('/login');
    const signedIn = await v.post('/login', { email: member.email, password: temporary! });
    expect(signedIn.headers.location).toBe('/password?required=1');
    const blocked = await v.get('/orders');
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toBe('/password?required=1');
    await v.get('/password?required=1');
    const changed = await v.post('/password', {
      currentPassword: temporary!,
      newPassword: 'my brand new password',
    });
    expect(changed.status).toBe(303);
    expect((await v.get('/orders')).status).toBe(200);
  });

  it('when the current password is wrong, then the form says so beside the field', async () => {
    const member = await signedUpMember(stack, 'Typo');
    await member.get('/password');
    const res = await member.post('/password', {
      currentPassword: 'not the password at all',
      newPassword: 'my brand new password',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="field-currentPassword-error"');
  });
});
