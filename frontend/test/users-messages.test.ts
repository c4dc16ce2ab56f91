import { visitor } from './helpers/app';
import { signedInAdmin, signedUpMember, startStack, type Stack } from './helpers/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

describe('users and roles (real backend)', () => {
  it('when an anonymous visitor opens a page, then they are sent to log in and back', async () => {
    for (const path of ['/users', '/messages', '/orders', '/orders/new']) {
      const res = await visitor(stack.frontend.app).get(path);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
  });

  it('when a member lists users, then there are no admin actions; an admin sees them', async () => {
    const member = await signedUpMember(stack, 'Plain');
    const list = await member.get('/users');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Plain Tester');
    expect(list.text).not.toContain('href="/users/new"');
    const admin = await signedInAdmin(stack);
    const adminList = await admin.get('/users');
    expect(adminList.text).toContain('href="/users/new"');
  });

  it("when a member views someone else's profile, then there is no edit or delete, and the backend refuses both anyway", async () => {
    const other = await signedUpMember(stack, 'Other');
    const member = await signedUpMember(stack, 'Nosy');
    const profile = await member.get(`/users/${other.id}`);
    expect(profile.status).toBe(200);
    expect(profile.text).not.toContain(`action="/users/${other.id}"`);
    expect(profile.text).not.toContain(`/users/${other.id}/delete`);
    const edit = await member.post(`/users/${other.id}`, { name: 'Hacked', surname: 'X' });
    expect(edit.status).toBe(403);
    const del = await member.post(`/users/${other.id}/delete`);
    expect(del.status).toBe(403);
    const create = await member.post('/users', {
      name: 'Sneaky',
      surname: 'Admin',
      email: 'sneaky@tradepost.test',
      password: 'sneaky-password-123',
      role: 'admin',
    });
    expect(create.status).toBe(403);
    const stillThere = await member.get(`/users/${other.id}`);
    expect(stillThere.text).toContain('Other Tester');
  });

  it('when a member edits their own name, then it is saved and the header shows it', async () => {
    const member = await signedUpMember(stack, 'Before');
    const res = await member.post(`/users/${member.id}`, { name: 'After', surname: 'Renamed' });
    expect(res.status).toBe(303);
    const page = await member.get(`/users/${member.id}`);
    expect(page.text).toContain('<h1>After Renamed</h1>');
    expect(page.text).toMatch(/class="whoami">After/);
    expect(page.text).toContain('Your changes were saved.');
    const invalid = await member.post(`/users/${member.id}`, { name: '', surname: 'Renamed' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('id="field-name-error"');
  });

  it('when an admin creates and then deletes a user, then the delete goes through a confirmation page', async () => {
    const admin = await signedInAdmin(stack);
    await admin.get('/users/new');
    const created = await admin.post('/users', {
      name: 'Temp',
      surname: 'Worker',
      email: `temp.${Date.now()}@tradepost.test`,
      password: 'temporary-password-1',
      role: 'member',
    });
    expect(created.status).toBe(303);
    const id = /\/users\/(\d+)$/.exec(created.headers.location)![1];
    const confirm = await admin.get(`/users/${id}/delete`);
    expect(confirm.text).toContain('Delete Temp Worker?');
    expect(confirm.text).toContain(`action="/users/${id}/delete"`);
    const deleted = await admin.post(`/users/${id}/delete`);
    expect(deleted.headers.location).toBe('/users');
    expect((await admin.get(`/users/${id}`)).status).toBe(404);
  });

  it('when a name holds markup, then every page renders it as text', async () => {
    const evil = await signedUpMember(stack, '<script>alert(1)</script>');
    const reader = await signedUpMember(stack, 'Reader');
    for (const path of [`/users/${evil.id}`, '/users', `/messages/${evil.id}`]) {
      const res = await reader.get(path);
      expect(res.text).not.toContain('<script>alert(1)</script>');
      expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});

describe('messages (real backend)', () => {
  it('when two members write to each other, then the conversation, list and delete rules hold', async () => {
    const alice = await signedUpMember(stack, 'Alice');
    const bob = await signedUpMember(stack, 'Bob');

    const picker = await alice.get('/messages/new');
    expect(picker.text).toContain(`href="/messages/${bob.id}"`);
    await alice.get(`/messages/${bob.id}`);
    const sent = await alice.post(`/messages/${bob.id}`, {
      body: 'Hi Bob <img src=x onerror=alert(1)>',
      idempotencyKey: '11111111-2222-4333-8444-555555555555',
    });
    expect(sent.status).toBe(303);

    const list = await bob.get('/messages');
    expect(list.text).toContain(`href="/messages/${alice.id}"`);
    const thread = await bob.get(`/messages/${alice.id}`);
    expect(thread.text).toContain('Hi Bob &lt;img src=x onerror=alert(1)&gt;');
    expect(thread.text).not.toContain('<img');
    const messageId = /\/messages\/\d+\/(\d+)\/delete/.exec(
      (await alice.get(`/messages/${bob.id}`)).text,
    )![1];
    // Bob sees no delete button on Alice's message, and the backend refuses it anyway.
    expect(thread.text).not.toContain(`/${messageId}/delete`);
    const refused = await bob.post(`/messages/${alice.id}/${messageId}/delete`);
    expect(refused.status).toBe(403);

    const removed = await alice.post(`/messages/${bob.id}/${messageId}/delete`);
    expect(removed.status).toBe(303);
    expect((await bob.get(`/messages/${alice.id}`)).text).not.toContain('Hi Bob');
  });

  it('when the same send form is submitted twice, then one message is stored', async () => {
    const alice = await signedUpMember(stack, 'Twice');
    const bob = await signedUpMember(stack, 'Once');
    await alice.get(`/messages/${bob.id}`);
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(
      (await alice.get(`/messages/${bob.id}`)).text,
    )![1];
    const csrf = alice.csrf;
    const submit = () =>
      alice.agent
        .post(`/messages/${bob.id}`)
        .type('form')
        .send({ _csrf: csrf, body: 'only once please', idempotencyKey: key });
    const [a, b] = await Promise.all([submit(), submit()]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const thread = await bob.get(`/messages/${alice.id}`);
    expect(thread.text.split('only once please').length - 1).toBe(1);
  });

  it('when the message is empty, then the error is shown beside the text box', async () => {
    const alice = await signedUpMember(stack, 'Empty');
    const bob = await signedUpMember(stack, 'Target');
    await alice.get(`/messages/${bob.id}`);
    const res = await alice.post(`/messages/${bob.id}`, { body: '' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="field-body-error"');
    expect(res.text).toContain('aria-describedby="field-body-error"');
  });
});
