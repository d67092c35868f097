/**
 * The admin API through a real HTTP server on 127.0.0.1, with tokens signed by the pool's own
 * signing key (and some that must be refused), on SQLite and PostgreSQL.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { providerRevocation } from '../oidc/revocation';
import { createPool } from '../pool';
import { exportPoolConfig } from '../pool-config/export';
import { ISSUER, PASSWORD, problem, start, withApi, type Api } from '../testing/admin-api';
import { mintAdminToken } from '../testing/admin-token';
import { codeIn, testOutbox } from '../testing/outbox';
import { anotherConnection, describeEachDb } from '../testing/databases';
import { adminRoutes } from './routes';

describeEachDb('admin API', (open) => {
  it('creates, reads, updates with If-Match, refuses a stale ETag, deletes; every write audited; config export reads it back', async () => {
    await withApi(open, async ({ call, db }) => {
      const created = await call('POST', '/users', {
        body: { username: 'bob', email: 'bob@example.test', password: PASSWORD, attributes: { 'custom:plan': 'free' }, groups: ['staff'] },
        headers: { 'x-request-id': 'chosen-by-the-client' },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location')).toBe('/admin/api/v1/users/bob');
      expect(created.json).toMatchObject({ username: 'bob', email: 'bob@example.test', enabled: true, status: 'CONFIRMED', groups: ['staff'], attributes: { 'custom:plan': 'free' } });
      expect(created.json).not.toHaveProperty('password');
      expect(created.json).not.toHaveProperty('password_hash');

      const got = await call('GET', '/users/BOB');
      expect(got.status).toBe(200);
      const etag = got.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      expect(etag).toBe(created.headers.get('etag'));

      // PATCH needs If-Match; with the current one it lands, with the old one it is refused.
      problem(await call('PATCH', '/users/bob', { body: { attributes: { 'custom:plan': 'pro' } } }), 428);
      const patched = await call('PATCH', '/users/bob', { body: { attributes: { 'custom:plan': 'pro' }, phone_number: '+14155550100' }, headers: { 'if-match': etag } });
      expect(patched.status).toBe(200);
      expect(patched.json).toMatchObject({ attributes: { 'custom:plan': 'pro' }, phone_number: '+14155550100', phone_number_verified: false });
      expect(patched.headers.get('etag')).not.toBe(etag);
      problem(await call('PATCH', '/users/bob', { body: { attributes: { 'custom:plan': 'free' } }, headers: { 'if-match': etag } }), 412);
      expect((await call('GET', '/users/bob')).json).toMatchObject({ attributes: { 'custom:plan': 'pro' } });

      // What the API wrote, `config export` reads back, in the config's shape.
      const exported = (await exportPoolConfig(db.kysely, { includeSecrets: false })).users as Record<string, unknown>[];
      expect(exported.find((u) => u.username === 'bob')).toMatchObject({ email: 'bob@example.test', phone_number: '+14155550100', attributes: { 'custom:plan': 'pro' }, groups: ['staff'] });

      problem(await call('DELETE', '/users/bob', { headers: { 'if-match': etag } }), 412);
      const deleted = await call('DELETE', '/users/bob', { headers: { 'if-match': patched.headers.get('etag')! } });
      expect(deleted.status).toBe(204);
      problem(await call('GET', '/users/bob'), 404);

      const audit = await call('GET', '/audit?resource_type=user&resource_id=bob');
      const entries = audit.json!.items as { action: string; actor: unknown; before: Record<string, unknown> | null; after: Record<string, unknown> | null; request_id: string }[];
      expect(entries.map((e) => e.action)).toEqual(['user.delete', 'user.update', 'user.create']);
      expect(entries[0].actor).toEqual({ type: 'client', id: 'admin-robot' });
      expect(entries[1].before).toMatchObject({ attributes: { 'custom:plan': 'free' } });
      expect(entries[1].after).toMatchObject({ attributes: { 'custom:plan': 'pro' } });
      // Each row names the request that wrote it, as its answer did (a client's own id is not believed).
      const answered = [deleted, patched, created].map((r) => r.headers.get('x-request-id'));
      expect(answered[2]).not.toBe('chosen-by-the-client');
      expect(new Set(answered).size).toBe(3);
      expect(entries.map((e) => e.request_id)).toEqual(answered);
      // No secret in the audit log: no password, no hash.
      expect(JSON.stringify(entries)).not.toMatch(/password|argon2|violet/);
    });
  });

  it('refuses: no token, a wrong audience, an expired token, a foreign key, another issuer, no admin scope; a read-only token reads but never writes', async () => {
    await withApi(open, async ({ call, token }) => {
      const none = await call('GET', '/users/alice', { token: null });
      problem(none, 401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
      for (const bad of [{ audience: 'demo' }, { expiresIn: -60 }, { foreignKey: true }, { issuer: 'https://evil.example.test' }]) {
        const r = await call('GET', '/users/alice', { token: await token(bad) });
        problem(r, 401);
        expect(r.headers.get('www-authenticate'), JSON.stringify(bad)).toMatch(/error="invalid_token"/);
      }
      problem(await call('GET', '/users/alice', { token: 'not-a-jwt' }), 401);
      problem(await call('GET', '/users/alice', { token: await token({ scope: 'openid profile' }) }), 403);

      const reader = await token({ scope: 'foyer/admin.read' });
      expect((await call('GET', '/users/alice', { token: reader })).status).toBe(200);
      const write = await call('POST', '/users/alice/disable', { token: reader });
      problem(write, 403);
      expect(write.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
      expect((await call('GET', '/users/alice')).json).toMatchObject({ enabled: true });
    });
  });

  it('refused tokens from one address: past the limit 429 with Retry-After, on every instance; a valid token is still answered, other addresses are not slowed', async () => {
    const limit = { max: 3, windowMs: 60_000 };
    const db = await open();
    const one = await start(db, { failedAuthLimit: limit });
    // A second instance on the same database (another connection, another pool, another server).
    const two = await start(anotherConnection(db), { failedAuthLimit: limit });
    try {
      const from = (ip: string) => ({ 'x-foyer-client-ip': ip });
      const forged = await one.token({ foreignKey: true });
      for (let i = 0; i < limit.max; i++) problem(await one.call('GET', '/users/alice', { token: forged, headers: from('203.0.113.7') }), 401);
      const limited = await two.call('GET', '/users/alice', { token: 'not-a-jwt', headers: from('203.0.113.7') });
      problem(limited, 429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      problem(await one.call('GET', '/users/alice', { token: forged, headers: from('203.0.113.7') }), 429);
      // A valid token from that address is answered, and counts nothing.
      for (let i = 0; i < limit.max + 1; i++) expect((await one.call('GET', '/users/alice', { headers: from('203.0.113.7') })).status).toBe(200);
      // No credentials guess nothing: a plain 401, never counted.
      problem(await one.call('GET', '/users/alice', { token: null, headers: from('203.0.113.8') }), 401);
      problem(await one.call('GET', '/users/alice', { token: forged, headers: from('203.0.113.8') }), 401);
      const counts = await db.kysely.selectFrom('rate_limits').select(['key', 'count']).where('key', 'like', 'admin_auth:%').orderBy('key').execute();
      expect(counts.map((r) => [r.key, Number(r.count)])).toEqual([
        ['admin_auth:ip:203.0.113.7', limit.max + 2],
        ['admin_auth:ip:203.0.113.8', 1],
      ]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('every route: 401 without a token, and every write 403 with a read-only one, before anything is read or written', async () => {
    await withApi(open, async ({ call, token }) => {
      const reader = await token({ scope: 'foyer/admin.read' });
      const ids: Record<string, string> = { username: 'alice', name: 'staff', id: 'acme' };
      for (const r of adminRoutes) {
        const path = r.path.replace(/\{(\w+)\}/g, (_m, n: string) => ids[n]);
        problem(await call(r.method, path, { token: null, ...(r.body ? { body: {} } : {}) }), 401);
        if (r.method !== 'GET') problem(await call(r.method, path, { token: reader, ...(r.body ? { body: {} } : {}) }), 403);
      }
      expect(((await call('GET', '/audit')).json!.items as unknown[]).length).toBe(0);
      expect((await call('GET', '/users/alice')).json).toMatchObject({ enabled: true, groups: ['staff'] });
    });
  });

  it('answers bad input with problem details, never a 500', async () => {
    await withApi(open, async ({ call }) => {
      problem(await call('POST', '/users', { raw: '{"username":' }), 400);
      problem(await call('POST', '/users', { raw: 'username=x', type: 'application/x-www-form-urlencoded' }), 415);
      problem(await call('POST', '/users', { raw: JSON.stringify({ username: 'big', attributes: { name: 'x'.repeat(300_000) } }) }), 413);
      const invalid = await call('POST', '/users', { body: { username: 'carol', email: 'not-an-email', attributes: { 'custom:unknown': 'x' } } });
      problem(invalid, 400);
      // Each field error has a code and its params, for a client (the console) to word in its language.
      expect(invalid.json!.errors).toContainEqual({ pointer: '/email', detail: expect.any(String), code: 'invalid_email', params: {} });
      const shapes = await call('POST', '/users', { body: { email: 'x@example.test', username_: 1, status: 'GONE', phone_number: '0123' } });
      problem(shapes, 400);
      expect(shapes.json!.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/username', detail: expect.any(String), code: 'required', params: {} },
          { pointer: '/status', detail: expect.any(String), code: 'invalid_value', params: { values: expect.stringContaining('CONFIRMED, UNCONFIRMED') } },
          { pointer: '/', detail: expect.any(String), code: 'unknown_keys', params: { keys: 'username_' } },
          { pointer: '/phone_number', detail: expect.any(String), code: 'invalid_phone', params: {} },
        ]),
      );
      const long = await call('POST', '/users', { body: { username: 'x'.repeat(129) } });
      expect(long.json!.errors).toEqual([{ pointer: '/username', detail: expect.any(String), code: 'too_long', params: { max: '128' } }]);
      const unknownAttribute = await call('POST', '/users', { body: { username: 'carol', attributes: { 'custom:unknown': 'x' } } });
      problem(unknownAttribute, 400);
      expect(unknownAttribute.json!.errors).toEqual([{ pointer: '/attributes/custom:unknown', detail: expect.stringMatching(/unknown attribute/), code: 'unknown_attribute', params: {} }]);
      const weak = await call('POST', '/users', { body: { username: 'carol', password: 'short' } });
      problem(weak, 400);
      expect(weak.json!.errors).toEqual([{ pointer: '/password', detail: expect.stringMatching(/^the password needs at least \d+ characters$/), code: 'password_too_short', params: { min: expect.stringMatching(/^\d+$/) } }]);
      const rules = await call('POST', '/users', { body: { username: 'carol', password: 'long enough password 1', password_hash: '$2b$10$x', status: 'EXTERNAL_PROVIDER' } });
      problem(rules, 400);
      expect(rules.json!.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/password_hash', detail: expect.any(String), code: 'password_hash_format', params: {} },
          { pointer: '/password_hash', detail: expect.any(String), code: 'exactly_one', params: { other: 'password' } },
          { pointer: '/status', detail: expect.any(String), code: 'external_provider_user', params: {} },
        ]),
      );
      const taken = await call('POST', '/users', { body: { username: 'ALICE' } });
      problem(taken, 409);
      expect(taken.json!.errors).toEqual([{ pointer: '/username', detail: expect.any(String), code: 'username_taken', params: {} }]);
      const sameMail = await call('POST', '/users', { body: { username: 'alias', email: 'ALICE@example.test', email_verified: true } });
      problem(sameMail, 409);
      expect(sameMail.json!.errors).toEqual([{ pointer: '/email', detail: expect.any(String), code: 'email_taken', params: {} }]);
      // Unverified, an address blocks no one.
      expect((await call('POST', '/users', { body: { username: 'alias', email: 'alice@example.test' } })).status).toBe(201);
      const alias = await call('GET', '/users/alias');
      problem(await call('PATCH', '/users/alias', { body: { email_verified: true }, headers: { 'if-match': alias.headers.get('etag')! } }), 409);
      const zero = await call('GET', '/users?limit=0');
      problem(zero, 400);
      expect(zero.json!.errors).toEqual([{ pointer: '/limit', detail: expect.any(String), code: 'too_small', params: { min: '1' } }]);
      const garbage = await call('GET', '/users?cursor=garbage');
      problem(garbage, 400);
      expect(garbage.json!.errors).toEqual([{ pointer: '/cursor', detail: expect.any(String), code: 'unknown_cursor', params: {} }]);
      problem(await call('GET', '/users?bogus=1'), 400);
      problem(await call('GET', '/users/%E0%A4%A'), 400);
      problem(await call('GET', '/nothing-here'), 404);
      const wrongMethod = await call('PUT', '/users');
      problem(wrongMethod, 405);
      expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
      problem(await call('PATCH', '/users/nobody', { body: {}, headers: { 'if-match': '"x"' } }), 404);
      // Past what the database's integer column holds: refused on the field, not a failed insert.
      const huge = await call('PUT', '/groups/huge', { body: { precedence: 2 ** 31 } });
      problem(huge, 400);
      expect(huge.json!.errors).toEqual([{ pointer: '/precedence', detail: expect.any(String), code: 'too_big', params: { max: String(2 ** 31 - 1) } }]);
    });
  });

  it('searches by username, e-mail, phone, sub and attribute, a page at a time', async () => {
    await withApi(open, async ({ call }) => {
      for (const n of ['ann', 'anna', 'annabel', 'bert']) {
        expect((await call('POST', '/users', { body: { username: n, email: `${n}@example.test`, attributes: { 'custom:plan': n === 'bert' ? 'pro' : 'free' } } })).status).toBe(201);
      }
      const first = await call('GET', '/users?username=ANN&limit=2');
      expect((first.json!.items as { username: string }[]).map((u) => u.username)).toEqual(['ann', 'anna']);
      const second = await call('GET', `/users?username=ann&limit=2&cursor=${first.json!.next as string}`);
      expect((second.json!.items as { username: string }[]).map((u) => u.username)).toEqual(['annabel']);
      expect(second.json!.next).toBeUndefined();
      const byMail = await call('GET', '/users?email=bert%40');
      expect((byMail.json!.items as { username: string }[]).map((u) => u.username)).toEqual(['bert']);
      const byPlan = await call('GET', '/users?attribute_name=custom%3Aplan&attribute_value=pro');
      expect((byPlan.json!.items as { username: string }[]).map((u) => u.username)).toEqual(['alice', 'bert']);
      const alice = (await call('GET', '/users/alice')).json!;
      const bySub = await call('GET', `/users?sub=${alice.sub as string}`);
      expect((bySub.json!.items as { username: string }[]).map((u) => u.username)).toEqual(['alice']);
      // A LIKE wildcard is a character like any other.
      expect((await call('GET', '/users?username=%25')).json!.items).toEqual([]);
    });
  });

  it('disables and enables, sets a temporary password, resets MFA, signs out; lists factors, sessions, identities and events', async () => {
    await withApi(open, async ({ call, pool }) => {
      expect((await call('POST', '/users/alice/disable')).json).toMatchObject({ enabled: false });
      expect((await call('POST', '/users/alice/enable')).json).toMatchObject({ enabled: true });
      problem(await call('POST', '/users/alice/disable', { headers: { 'if-match': '"stale"' } }), 412);
      const temp = await call('POST', '/users/alice/password', { body: { password: 'amber kettles hum beneath quiet bridges', permanent: false } });
      expect(temp.json).toMatchObject({ status: 'FORCE_CHANGE_PASSWORD' });
      // The new password is the one that signs in (to the forced change), the old one no more.
      const signIn = (password: string) => pool.signIn({ identifier: 'alice', password, ip: '203.0.113.5', locale: 'en' });
      expect(await signIn('amber kettles hum beneath quiet bridges')).toMatchObject({ next: { step: 'new-password' } });
      expect(await signIn(PASSWORD)).toMatchObject({ error: expect.any(String) });
      expect((await call('POST', '/users/alice/reset-mfa')).status).toBe(200);
      expect((await call('POST', '/users/alice/sign-out')).json).toEqual({ sessions_ended: 0 });
      expect((await call('GET', '/users/alice/factors')).json).toEqual({ items: [] });
      expect((await call('GET', '/users/alice/sessions')).json).toEqual({ items: [] });
      expect((await call('GET', '/users/alice/identities')).json).toEqual({ items: [] });
      expect((await call('GET', '/users/alice/groups')).json).toEqual({ items: ['staff'] });
      expect((await call('GET', '/users/alice/events')).status).toBe(200);
      expect((await call('GET', '/events?username=alice')).status).toBe(200);
      const actions = ((await call('GET', '/audit?resource_id=alice')).json!.items as { action: string }[]).map((e) => e.action);
      expect(actions).toEqual(['user.sign_out', 'user.reset_mfa', 'user.set_password', 'user.enable', 'user.disable']);
    });
  });

  it('resets a password (AdminResetUserPassword): sign-ins end, the old password only leads to the reset, the mailed code sets a new one; audited; 404, 409 and read-only refused', async () => {
    await withApi(open, async ({ call, db, pool, outbox, token }) => {
      const sub = (await call('GET', '/users/alice')).json!.sub as string;
      // A browser of alice's: its session and a refresh token, as the provider stores them.
      const artifact = (model: string, id: string) =>
        db.kysely
          .insertInto('oidc_artifacts')
          .values({ model, id, payload: JSON.stringify({ accountId: sub, loginTs: Math.floor(Date.now() / 1000) }), account_id: sub, grant_id: null, user_code: null, uid: null, expires_at: Date.now() + 3600_000, consumed_at: null })
          .execute();
      await artifact('Session', 'alice-session');
      await artifact('RefreshToken', 'alice-rt');
      expect((await call('GET', '/users/alice/sessions')).json!.items).toHaveLength(1);

      problem(await call('POST', '/users/alice/reset-password', { token: await token({ scope: 'foyer/admin.read' }) }), 403);
      problem(await call('POST', '/users/nobody/reset-password'), 404);
      problem(await call('POST', '/users/alice/reset-password', { headers: { 'if-match': '"stale"' } }), 412);
      await outbox.deliver();
      expect(outbox.mails).toEqual([]);
      expect((await call('GET', '/users/alice')).json).toMatchObject({ status: 'CONFIRMED' });

      const reset = await call('POST', '/users/alice/reset-password');
      expect(reset.status).toBe(200);
      expect(reset.json).toMatchObject({ username: 'alice', status: 'RESET_REQUIRED', enabled: true });
      expect(reset.headers.get('etag')).toBe((await call('GET', '/users/alice')).headers.get('etag'));
      expect((await call('GET', '/users/alice/sessions')).json!.items).toEqual([]);
      expect(await db.kysely.selectFrom('oidc_artifacts').select('id').where('account_id', '=', sub).execute()).toEqual([]);
      await outbox.deliver();
      expect(outbox.mails.map((m) => m.to)).toEqual(['alice@example.test']);
      const code = codeIn(outbox.mails[0]);

      const entry = ((await call('GET', '/audit?resource_id=alice')).json!.items as { action: string; before: { status: string }; after: { status: string } }[])[0];
      expect([entry.action, entry.before.status, entry.after.status]).toEqual(['user.reset_password', 'CONFIRMED', 'RESET_REQUIRED']);

      // The old password signs in no more: it leads to the reset screen, which takes the mailed code (no second mail).
      const signIn = (password: string) => pool.signIn({ identifier: 'alice', password, ip: '203.0.113.5', locale: 'en' });
      const old = await signIn(PASSWORD);
      if (!('next' in old) || old.next.step !== 'reset-password') throw new Error(`expected the reset step, got ${JSON.stringify(old)}`);
      expect(old.next).toMatchObject({ forced: true, userId: sub });
      const fresh = 'copper herons wade past the old mill';
      expect(await pool.resetPassword({ step: old.next, code, password: fresh, locale: 'en' })).toEqual({ next: { step: 'sign-in' } });
      await outbox.deliver();
      // One code mail, the administrator's (its own words: the old password no longer signs in), none from the forgot-password flow.
      expect(outbox.mails.filter((m) => m.subject.includes('password was reset'))).toHaveLength(1);
      expect(outbox.mails.filter((m) => m.subject.includes('password reset code'))).toHaveLength(0);
      expect(outbox.mails[0].text).toContain('no longer signs in');
      expect(await signIn(PASSWORD)).toEqual({ error: 'invalid_credentials' });
      expect(await signIn(fresh)).toEqual({ done: { userId: sub, amr: ['pwd'] } });

      // Whoever could not finish a reset is refused: no e-mail, or no password of ours.
      expect((await call('POST', '/users', { body: { username: 'nomail', password: PASSWORD } })).status).toBe(201);
      const noMail = await call('POST', '/users/nomail/reset-password');
      problem(noMail, 409);
      expect(noMail.json!.errors).toEqual([{ pointer: '/email', detail: expect.any(String), code: 'no_reset_destination', params: {} }]);
      // A user made by a federated sign-in (as the pool's federation stores one: no password).
      expect((await call('POST', '/users', { body: { username: 'fed', email: 'fed@example.test' } })).status).toBe(201);
      await db.kysely.updateTable('users').set({ status: 'EXTERNAL_PROVIDER' }).where('username', '=', 'fed').execute();
      const federated = await call('POST', '/users/fed/reset-password');
      problem(federated, 409);
      expect(federated.json!.errors).toEqual([{ pointer: '/status', detail: expect.any(String), code: 'no_password', params: {} }]);
      expect((await call('GET', '/users/nomail')).json).toMatchObject({ status: 'CONFIRMED' });

      // A disabled user is mailed nothing (they could not use it); once enabled, their sign-in mails the code.
      expect((await call('POST', '/users', { body: { username: 'away', email: 'away@example.test', email_verified: true, password: PASSWORD } })).status).toBe(201);
      await call('POST', '/users/away/disable');
      expect((await call('POST', '/users/away/reset-password')).json).toMatchObject({ status: 'RESET_REQUIRED', enabled: false });
      await call('POST', '/users/away/enable');
      await outbox.deliver();
      expect(outbox.mails.filter((m) => m.to === 'away@example.test')).toEqual([]);
      const back = await pool.signIn({ identifier: 'away', password: PASSWORD, ip: '203.0.113.5', locale: 'en' });
      expect(back).toMatchObject({ next: { step: 'reset-password', forced: true } });
      await outbox.deliver();
      expect(outbox.mails.filter((m) => m.to === 'away@example.test').map((m) => codeIn(m))).toHaveLength(1);
    });
  });

  it('invites (AdminCreateUser with an invitation): created without a password, a link mailed; resent with If-Match (the old link dies), audited; refusals coded: 400 for invite with a password or without an e-mail, 409 for a user with a password or no e-mail', async () => {
    await withApi(open, async ({ call, pool, outbox, token }) => {
      const both = await call('POST', '/users', { body: { username: 'ben', email: 'ben@example.test', invite: true, password: PASSWORD } });
      problem(both, 400);
      expect(both.json!.errors).toEqual([{ pointer: '/password', detail: expect.any(String), code: 'not_with_invite', params: {} }]);
      const noMail = await call('POST', '/users', { body: { username: 'ben', invite: true } });
      problem(noMail, 400);
      expect(noMail.json!.errors).toEqual([{ pointer: '/email', detail: expect.any(String), code: 'required_when', params: { other: 'invite' } }]);
      problem(await call('POST', '/users', { body: { username: 'ben', email: 'ben@example.test', invite: 'yes' } }), 400);
      await outbox.deliver();
      expect(outbox.mails).toEqual([]);

      const made = await call('POST', '/users', { body: { username: 'ben', email: 'ben@example.test', invite: true } });
      expect(made.status).toBe(201);
      expect(made.json).toMatchObject({ username: 'ben', status: 'FORCE_CHANGE_PASSWORD', email_verified: false });
      expect(made.json).not.toHaveProperty('invite');
      const pending = await call('GET', '/users/ben/invitation');
      expect(pending.json).toEqual({ pending: true, expires_at: expect.any(Number) });
      expect((await call('GET', '/users/alice/invitation')).json).toEqual({ pending: false });

      problem(await call('POST', '/users/ben/invite', { token: await token({ scope: 'foyer/admin.read' }) }), 403);
      problem(await call('POST', '/users/nobody/invite'), 404);
      problem(await call('POST', '/users/ben/invite', { headers: { 'if-match': '"stale"' } }), 412);
      const resent = await call('POST', '/users/ben/invite', { headers: { 'if-match': made.headers.get('etag')! } });
      expect(resent.status).toBe(200);
      expect(resent.json).toMatchObject({ username: 'ben', status: 'FORCE_CHANGE_PASSWORD' });
      await outbox.deliver();
      const links = outbox.mails.filter((m) => m.to === 'ben@example.test').map((m) => new URL(m.text.match(/https?:\/\/\S+/)![0]));
      expect(links).toHaveLength(2);
      const [old, fresh] = links.map((u) => ({ id: u.searchParams.get('link')!, token: u.searchParams.get('token')! }));
      expect(await pool.invitations.read(old)).toBeUndefined();
      expect(await pool.invitations.read(fresh)).toEqual({ username: 'ben' });
      const actions = ((await call('GET', '/audit?resource_id=ben')).json!.items as { action: string }[]).map((e) => e.action);
      expect(actions).toEqual(['user.invite', 'user.create']);

      const hasPassword = await call('POST', '/users/alice/invite');
      problem(hasPassword, 409);
      expect(hasPassword.json!.errors).toEqual([{ pointer: '/password', detail: expect.any(String), code: 'has_password', params: {} }]);
      expect((await call('POST', '/users', { body: { username: 'nomail' } })).status).toBe(201);
      const nowhere = await call('POST', '/users/nomail/invite');
      problem(nowhere, 409);
      expect(nowhere.json!.errors).toEqual([{ pointer: '/email', detail: expect.any(String), code: 'no_invitation_destination', params: {} }]);
      await outbox.deliver();
      expect(outbox.mails.filter((m) => m.to !== 'ben@example.test')).toEqual([]);
    });
  });

  it('groups: create, read, replace with If-Match (a stale one refused), members, delete; the audit log pages and exports as JSON Lines', async () => {
    await withApi(open, async ({ call, base, token }) => {
      const made = await call('PUT', '/groups/editors', { body: { description: 'Editors', precedence: 5 } });
      expect(made.json).toEqual({ name: 'editors', description: 'Editors', precedence: 5 });
      problem(await call('PUT', '/groups/editors', { body: { description: 'Again' } }), 428);
      const replaced = await call('PUT', '/groups/editors', { body: { description: 'Writers' }, headers: { 'if-match': made.headers.get('etag')! } });
      expect(replaced.json).toEqual({ name: 'editors', description: 'Writers' });
      // The first ETag is stale now: neither a replace nor a delete lands with it.
      problem(await call('PUT', '/groups/editors', { body: { description: 'Stale' }, headers: { 'if-match': made.headers.get('etag')! } }), 412);
      problem(await call('DELETE', '/groups/editors', { headers: { 'if-match': made.headers.get('etag')! } }), 412);
      expect((await call('GET', '/groups/editors')).json).toEqual(replaced.json);
      expect((await call('PUT', '/groups/editors/members/alice')).status).toBe(204);
      expect((await call('GET', '/groups/editors/members')).json).toEqual({ items: ['alice'] });
      expect((await call('GET', '/users/alice')).json).toMatchObject({ groups: ['editors', 'staff'] });
      problem(await call('PUT', '/groups/editors/members/nobody'), 404);
      expect((await call('DELETE', '/groups/editors/members/alice')).status).toBe(204);
      expect((await call('DELETE', '/groups/editors', { headers: { 'if-match': replaced.headers.get('etag')! } })).status).toBe(204);
      problem(await call('GET', '/groups/editors'), 404);
      const groups = await call('GET', '/groups?limit=1');
      expect(groups.json).toMatchObject({ items: [{ name: 'admins' }], next: expect.any(String) });

      const page = await call('GET', '/audit?limit=2');
      expect((page.json!.items as { action: string }[]).map((e) => e.action)).toEqual(['group.delete', 'group.remove_member']);
      const rest = await call('GET', `/audit?limit=10&cursor=${page.json!.next as string}`);
      expect((rest.json!.items as { action: string }[]).map((e) => e.action)).toEqual(['group.add_member', 'group.update', 'group.create']);

      const exported = await fetch(`${base}/audit/export?resource_type=group`, { headers: { authorization: `Bearer ${await token({ scope: 'foyer/admin.read' })}` } });
      expect(exported.headers.get('content-type')).toMatch(/^application\/jsonl/);
      const lines = (await exported.text()).trim().split('\n').map((l) => JSON.parse(l) as { action: string });
      expect(lines.map((l) => l.action)).toEqual(['group.delete', 'group.update', 'group.create']);
    });
  });

  it('settings: read, replace with If-Match (a theme that does not exist refused), audited', async () => {
    await withApi(open, async ({ call }) => {
      const read = await call('GET', '/settings');
      expect(read.json).toMatchObject({ name: 'Admin test', custom_attributes: [{ name: 'custom:plan' }], mfa: { mode: 'OFF' } });
      const wanted = { ...read.json, mfa: { mode: 'OPTIONAL', factors: ['totp', 'email'] } };
      problem(await call('PUT', '/settings', { body: wanted }), 428);
      const badTheme = await call('PUT', '/settings', { body: { ...wanted, theme: 'no-such-theme' }, headers: { 'if-match': read.headers.get('etag')! } });
      problem(badTheme, 400);
      expect(badTheme.json!.errors).toEqual([{ pointer: '/theme', detail: expect.stringMatching(/does not exist/), code: 'unknown_theme', params: { theme: expect.any(String) } }]);
      problem(await call('PUT', '/settings', { body: { ...wanted, lockout: { free_failures: 0 } }, headers: { 'if-match': read.headers.get('etag')! } }), 400);
      const put = await call('PUT', '/settings', { body: { ...wanted, theme: 'midnight' }, headers: { 'if-match': read.headers.get('etag')! } });
      expect(put.status).toBe(200);
      expect(put.json).toMatchObject({ theme: 'midnight', mfa: { mode: 'OPTIONAL', factors: ['totp', 'email'] }, password_policy: { min_length: 15 } });
      problem(await call('PUT', '/settings', { body: wanted, headers: { 'if-match': read.headers.get('etag')! } }), 412);
      expect((await call('GET', '/settings')).json).toMatchObject({ theme: 'midnight' });
      const entry = ((await call('GET', '/audit?resource_type=settings')).json!.items as { action: string; before: { mfa: { mode: string } }; after: { mfa: { mode: string } } }[])[0];
      expect([entry.action, entry.before.mfa.mode, entry.after.mfa.mode]).toEqual(['settings.update', 'OFF', 'OPTIONAL']);
    });
  });

  it('themes: create, replace with If-Match, refuse a bad one with its field, refuse deleting one in use', async () => {
    await withApi(open, async ({ call }) => {
      const made = await call('PUT', '/themes/acme', { body: { id: 'acme', name: 'Acme', radius: 4 } });
      expect(made.status).toBe(200);
      expect(made.json).toEqual({ id: 'acme', name: 'Acme', radius: 4 });
      problem(await call('PUT', '/themes/acme', { body: { id: 'acme', name: 'Acme 2' } }), 428);
      problem(await call('PUT', '/themes/other', { body: { id: 'acme', name: 'Acme' } }), 400);
      const malformed = await call('PUT', '/themes/odd', { body: { id: 'odd', name: 'Odd', colors: { light: { text: 'red' } }, images: { Logo: 'logo.png', logo: 'https://cdn.example/logo.png' } } });
      problem(malformed, 400);
      expect(malformed.json!.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/colors/light/text', detail: expect.any(String), code: 'invalid_colour', params: {} },
          { pointer: '/images/Logo', detail: expect.any(String), code: 'invalid_slug', params: { max: '32' } },
          { pointer: '/images/logo', detail: expect.any(String), code: 'asset_ref', params: {} },
        ]),
      );
      // An upload refused by its content: a code per reason, with its numbers.
      const notImage = await call('PUT', '/themes/odd', { body: { id: 'odd', name: 'Odd', images: { logo: `data:image/png;base64,${Buffer.from('hello').toString('base64')}` } } });
      problem(notImage, 400);
      expect(notImage.json!.errors).toEqual([{ pointer: '/images/logo', detail: expect.stringContaining('is not a PNG'), code: 'asset_unknown_type', params: { ref: expect.stringMatching(/^data:image\/png/) } }]);
      const low = await call('PUT', '/themes/pale', { body: { id: 'pale', name: 'Pale', colors: { light: { text: '#ffffff', surface: '#ffffff' } } } });
      problem(low, 400);
      expect((low.json!.errors as { pointer: string }[])[0].pointer).toBe('/colors');
      const replaced = await call('PUT', '/themes/acme', { body: { id: 'acme', name: 'Acme 2' }, headers: { 'if-match': made.headers.get('etag')! } });
      expect(replaced.json).toEqual({ id: 'acme', name: 'Acme 2' });
      expect((await call('GET', '/themes')).json).toEqual({ items: [{ id: 'acme', name: 'Acme 2' }] });
      await call('PUT', '/themes/child', { body: { id: 'child', name: 'Child', extends: 'acme' } });
      const inUse = await call('DELETE', '/themes/acme', { headers: { 'if-match': replaced.headers.get('etag')! } });
      problem(inUse, 409);
      expect(inUse.json!.detail).toMatch(/theme child/);
      const child = await call('GET', '/themes/child');
      expect((await call('DELETE', '/themes/child', { headers: { 'if-match': child.headers.get('etag')! } })).status).toBe(204);
      expect((await call('DELETE', '/themes/acme', { headers: { 'if-match': replaced.headers.get('etag')! } })).status).toBe(204);
      const actions = ((await call('GET', '/audit?resource_type=theme')).json!.items as { action: string }[]).map((e) => e.action);
      expect(actions).toEqual(['theme.delete', 'theme.delete', 'theme.create', 'theme.update', 'theme.create']);
    });
  });

  it('themes: deleting one in use is refused with a coded reason per user (the pool, app clients, a theme extending it); freed, it goes with its draft', async () => {
    await withApi(open, async ({ call }) => {
      const made = await call('PUT', '/themes/shop', { body: { id: 'shop', name: 'Shop' } });
      await call('PUT', '/themes/kid', { body: { id: 'kid', name: 'Kid', extends: 'shop' } });
      const settings = await call('GET', '/settings');
      const assigned = await call('PUT', '/settings', { body: { ...settings.json, theme: 'shop' }, headers: { 'if-match': settings.headers.get('etag')! } });
      for (const id of ['web', 'app']) expect((await call('POST', '/clients', { body: { client_id: id, client_name: id, redirect_uris: [`https://${id}.example.test/cb`], theme: 'shop' } })).status).toBe(201);
      const etag = { 'if-match': made.headers.get('etag')! };
      const inUse = await call('DELETE', '/themes/shop', { headers: etag });
      problem(inUse, 409);
      expect(inUse.json!.detail).toBe('the theme is in use by the pool, client app, client web, theme kid');
      expect(inUse.json!.errors).toEqual([
        { pointer: '/', detail: 'the pool', code: 'used_by_pool', params: {} },
        { pointer: '/', detail: 'client app', code: 'used_by_client', params: { client: 'app' } },
        { pointer: '/', detail: 'client web', code: 'used_by_client', params: { client: 'web' } },
        { pointer: '/', detail: 'theme kid', code: 'extended_by_theme', params: { theme: 'kid' } },
      ]);
      expect((await call('GET', '/themes/shop')).status).toBe(200);

      // Freed one user at a time, each refusal names only those left; then it goes, its draft with it.
      const { theme: _pool, ...unassigned } = assigned.json!;
      await call('PUT', '/settings', { body: unassigned, headers: { 'if-match': assigned.headers.get('etag')! } });
      for (const id of ['web', 'app']) {
        const client = await call('GET', `/clients/${id}`);
        const { theme: _theme, ...rest } = client.json!;
        expect((await call('PUT', `/clients/${id}`, { body: rest, headers: { 'if-match': client.headers.get('etag')! } })).status).toBe(200);
      }
      expect((await call('DELETE', '/themes/shop', { headers: etag })).json!.errors).toEqual([expect.objectContaining({ code: 'extended_by_theme' })]);
      const kid = await call('GET', '/themes/kid');
      expect((await call('DELETE', '/themes/kid', { headers: { 'if-match': kid.headers.get('etag')! } })).status).toBe(204);
      await call('PUT', '/themes/shop/draft', { body: { id: 'shop', name: 'Shop 2' } });
      expect((await call('DELETE', '/themes/shop', { headers: etag })).status).toBe(204);
      problem(await call('GET', '/themes/shop'), 404);
      problem(await call('GET', '/themes/shop/draft'), 404);
    });
  });

  it('a client saved naming a theme while the theme is being deleted: it waits for the delete, then is refused; never names a deleted theme', async () => {
    await withApi(open, async ({ call, db }) => {
      await call('PUT', '/themes/brief', { body: { id: 'brief', name: 'Brief' } });
      const body = { client_id: 'web', client_name: 'Web', redirect_uris: ['https://web.example.test/cb'], theme: 'brief' };
      let saved: Awaited<ReturnType<typeof call>>;
      if (db.dialect === 'postgres') {
        // Another session deletes the theme, holding its row as the API's delete does, until the save waits on it.
        const other = anotherConnection(db);
        let pending: Promise<Awaited<ReturnType<typeof call>>> | undefined;
        await other.kysely.transaction().execute(async (tx) => {
          await tx.selectFrom('themes').select('id').where('id', '=', 'brief').forUpdate().execute();
          await tx.deleteFrom('themes').where('id', '=', 'brief').execute();
          pending = call('POST', '/clients', { body });
          // Asked outside this transaction: inside it, pg_stat_activity is a snapshot taken once.
          const waiting = async () =>
            Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db.kysely)).rows[0].n);
          await expect.poll(waiting, { timeout: 10_000 }).toBe(1);
        });
        saved = await pending!;
      } else {
        await db.kysely.deleteFrom('themes').where('id', '=', 'brief').execute();
        saved = await call('POST', '/clients', { body });
      }
      problem(saved, 400);
      expect(saved.json!.errors).toEqual([expect.objectContaining({ pointer: '/theme', code: 'unknown_theme' })]);
      problem(await call('GET', '/clients/web'), 404);
    });
  });

  it('themes: a draft (or a version) exports with its assets inline, and imports into another deployment as it was', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const logo = `data:image/png;base64,${png.toString('base64')}`;
    let exported: { theme: Record<string, unknown> } | undefined;
    let version: Record<string, unknown> | undefined;
    await withApi(open, async ({ call }) => {
      await call('PUT', '/themes/brand', { body: { id: 'brand', name: 'Brand', images: { hero: logo } } });
      expect((await call('PUT', '/themes/brand/draft', { body: { id: 'brand', name: 'Brand 2', logo: { light: logo, alt: 'Brand', height: 40 }, images: { hero: logo } } })).status).toBe(200);
      // As stored: references to this deployment's assets.
      const stored = await call('GET', '/themes/brand/draft');
      expect(stored.json).toMatchObject({ theme: { logo: { light: expect.stringMatching(/^asset:[0-9a-f]{64}$/) } } });
      const inline = await call('GET', '/themes/brand/draft?assets=inline');
      expect(inline.json).toMatchObject({ theme: { name: 'Brand 2', logo: { light: `data:image/png;base64,${png.toString('base64')}` }, images: { hero: `data:image/png;base64,${png.toString('base64')}` } } });
      expect(inline.headers.get('etag')).toBe(stored.headers.get('etag'));
      exported = inline.json as typeof exported;
      version = (await call('GET', '/themes/brand/versions/1?assets=inline')).json!;
      expect(version).toMatchObject({ images: { hero: expect.stringMatching(/^data:image\/png;base64,/) } });
      problem(await call('GET', '/themes/brand/draft?assets=all'), 400);
      problem(await call('GET', '/themes/brand/versions/1?other=1'), 400);
    });
    // Another deployment (an empty database): the stored references would be refused, the export is taken.
    await withApi(open, async ({ call }) => {
      const refs = { id: 'brand', name: 'Brand', images: { hero: `asset:${'0'.repeat(64)}` } };
      expect((await call('PUT', '/themes/brand/draft', { body: refs })).json!.errors).toEqual([expect.objectContaining({ code: 'asset_not_stored' })]);
      expect((await call('PUT', '/themes/brand/draft', { body: exported!.theme })).status).toBe(200);
      expect((await call('PUT', '/themes/other', { body: { ...version, id: 'other' } })).status).toBe(200);
      const logoRef = (((await call('GET', '/themes/brand/draft')).json!.theme as { logo: { light: string } }).logo.light);
      expect(logoRef).toMatch(/^asset:[0-9a-f]{64}$/);
    });
  });

  it('themes: a draft changes no screen until published; history with who and when; roll back republishes an old version; a preview token shows the draft', async () => {
    await withApi(open, async ({ call, db }) => {
      const red = { id: 'brand', name: 'Brand', colors: { light: { brand: '#b00020' } } };
      const blue = { id: 'brand', name: 'Brand', colors: { light: { brand: '#1d4ed8' } } };
      const green = { id: 'brand', name: 'Brand', colors: { light: { brand: '#166534' } } };
      const first = await call('PUT', '/themes/brand', { body: red });
      expect(first.status).toBe(200);
      const settings = await call('GET', '/settings');
      await call('PUT', '/settings', { body: { ...settings.json, theme: 'brand' }, headers: { 'if-match': settings.headers.get('etag')! } });
      // Another instance on the same database: it must see every publish on its next request.
      const other = anotherConnection(db);
      const elsewhere = createPool({ db: other.kysely, outbox: testOutbox(other.kysely).link, secret: 'test-secret', revocation: providerRevocation() });
      const primaryOn = async (p: Api['pool']) => (await p.themes.forClient(null)).theme.colors.light.brand;
      try {
        expect(await primaryOn(elsewhere)).toBe('#b00020');

        // A draft: saved, checked, read back; the published theme and every screen unchanged.
        problem(await call('GET', '/themes/brand/draft'), 404);
        const bad = await call('PUT', '/themes/brand/draft', { body: { ...blue, colors: { light: { text: '#ffffff', surface: '#ffffff' } } } });
        problem(bad, 400);
        // One error a pair, its colours by palette name (the console names them in the admin's language).
        expect(bad.json!.errors).toContainEqual({ pointer: '/colors', detail: expect.stringContaining('light text/surface contrast is 1.00:1'), code: 'low_contrast', params: { mode: 'light', fg: 'text', bg: 'surface', ratio: '1.00', min: '4.5' } });
        expect(new Set((bad.json!.errors as { code: string }[]).map((e) => e.code))).toEqual(new Set(['low_contrast']));
        // Custom CSS is refused one problem per line at fault, each on /css with its line.
        const css = '.submitButton-customizable { color: red }\n@import "x.css";\n.banner-customizable { behavior: url(x.htc) }';
        const badCss = await call('PUT', '/themes/brand/draft', { body: { ...blue, css } });
        problem(badCss, 400);
        expect(badCss.json!.errors).toEqual([
          { pointer: '/css', detail: expect.stringMatching(/^line 2, "@import": @import is refused/), code: 'css_line', params: { line: '2', rule: '"@import"', reason: 'import', name: '' } },
          { pointer: '/css', detail: expect.stringMatching(/^line 3, ".*": "behavior" is refused/), code: 'css_line', params: { line: '3', rule: '".banner-customizable"', reason: 'runs_code', name: 'behavior' } },
        ]);
        problem(await call('PUT', '/themes/other/draft', { body: blue }), 400);
        const drafted = await call('PUT', '/themes/brand/draft', { body: blue });
        expect(drafted.status).toBe(200);
        expect(drafted.json).toMatchObject({ theme: blue, updated_by: 'client:admin-robot', updated_at: expect.any(Number) });
        problem(await call('PUT', '/themes/brand/draft', { body: green }), 428);
        expect((await call('GET', '/themes/brand')).json).toEqual(red);
        expect(await primaryOn(elsewhere)).toBe('#b00020');
        // A theme never published (an import) has only its draft: not among the themes, among the drafts.
        expect((await call('PUT', '/themes/fresh/draft', { body: { id: 'fresh', name: 'Fresh' } })).status).toBe(200);
        expect((await call('GET', '/themes')).json!.items).not.toContainEqual(expect.objectContaining({ id: 'fresh' }));
        expect(((await call('GET', '/theme-drafts')).json!.items as { theme: { id: string } }[]).map((d) => d.theme.id)).toEqual(['brand', 'fresh']);

        // The preview token shows the draft, only with a valid signature, and never the live screens.
        const preview = await call('POST', '/themes/brand/preview', { body: {} });
        expect(preview.status).toBe(200);
        const token = preview.json!.token as string;
        expect((await elsewhere.themes.preview(token))?.theme.colors.light.brand).toBe('#1d4ed8');
        expect(await elsewhere.themes.preview(`${token.split('.')[0]}.${'A'.repeat(43)}`)).toBeUndefined();
        const published = await call('POST', '/themes/brand/preview', { body: { draft: false } });
        expect((await elsewhere.themes.preview(published.json!.token as string))?.theme.colors.light.brand).toBe('#b00020');
        problem(await call('POST', '/themes/nobody/preview', { body: {} }), 404);

        // Publish: a stale draft ETag is refused; the current one publishes version 2.
        problem(await call('POST', '/themes/brand/publish', { headers: { 'if-match': first.headers.get('etag')! } }), 412);
        const pub = await call('POST', '/themes/brand/publish', { headers: { 'if-match': drafted.headers.get('etag')! } });
        expect(pub.status).toBe(200);
        expect(pub.json).toEqual({ theme: blue, version: 2 });
        expect(await primaryOn(elsewhere)).toBe('#1d4ed8');
        problem(await call('GET', '/themes/brand/draft'), 404);
        problem(await call('POST', '/themes/brand/publish'), 404);

        // A third version through a draft, then roll back to the first: version 4, red again.
        await call('PUT', '/themes/brand/draft', { body: green });
        expect((await call('POST', '/themes/brand/publish')).json).toMatchObject({ version: 3 });
        expect(await primaryOn(elsewhere)).toBe('#166534');
        const history = (await call('GET', '/themes/brand/versions')).json!.items as { version: number; published_by: string; rolled_back_from: number | null }[];
        expect(history.map((v) => [v.version, v.published_by, v.rolled_back_from])).toEqual([
          [3, 'client:admin-robot', null],
          [2, 'client:admin-robot', null],
          [1, 'client:admin-robot', null],
        ]);
        expect((await call('GET', '/themes/brand/versions/2')).json).toEqual(blue);
        problem(await call('GET', '/themes/brand/versions/9'), 404);
        problem(await call('GET', '/themes/brand/versions/zero'), 400);
        problem(await call('POST', '/themes/brand/versions/9/republish'), 404);
        problem(await call('POST', '/themes/brand/versions/1/republish', { headers: { 'if-match': first.headers.get('etag')! } }), 412);
        const back = await call('POST', '/themes/brand/versions/1/republish');
        expect(back.json).toEqual({ theme: red, version: 4 });
        expect(await primaryOn(elsewhere)).toBe('#b00020');
        expect(((await call('GET', '/themes/brand/versions')).json!.items as { version: number; rolled_back_from: number | null }[])[0]).toMatchObject({ version: 4, rolled_back_from: 1 });
        problem(await call('GET', '/themes/nobody/versions'), 404);

        // Discarding a draft needs its ETag; a read-only token may read a draft but not write one.
        const again = await call('PUT', '/themes/brand/draft', { body: green });
        const reader = await mintAdminToken(db.kysely, { issuer: ISSUER, scope: 'foyer/admin.read' });
        expect((await call('GET', '/themes/brand/draft', { token: reader })).status).toBe(200);
        problem(await call('POST', '/themes/brand/publish', { token: reader }), 403);
        problem(await call('DELETE', '/themes/brand/draft'), 428);
        expect((await call('DELETE', '/themes/brand/draft', { headers: { 'if-match': again.headers.get('etag')! } })).status).toBe(204);
        expect((await call('GET', '/themes/brand')).json).toEqual(red);

        const actions = ((await call('GET', '/audit?resource_type=theme&resource_id=brand')).json!.items as { action: string }[]).map((e) => e.action);
        expect(actions).toEqual(['theme.draft.discard', 'theme.draft.save', 'theme.rollback', 'theme.publish', 'theme.draft.save', 'theme.publish', 'theme.draft.save', 'theme.create']);
      } finally {
        await other.close();
      }
    });
  });

  it('custom text: set, read, replace with If-Match, refuse bad ICU and placeholders with a pointer, delete; audited', async () => {
    await withApi(open, async ({ call, pool, token }) => {
      const made = await call('PUT', '/custom-text/fr/login.subtitle', { body: { text: 'pour aller sur {app}' } });
      expect(made.status).toBe(200);
      expect(made.json).toEqual({ locale: 'fr', key: 'login.subtitle', text: 'pour aller sur {app}', english: 'to continue to {app}' });
      expect((await pool.customText.messages('fr')).login.subtitle).toBe('pour aller sur {app}');
      problem(await call('PUT', '/custom-text/fr/login.subtitle', { body: { text: 'x {app}' } }), 428);
      const missing = await call('PUT', '/custom-text/fr/login.subtitle', { body: { text: 'continuer' }, headers: { 'if-match': made.headers.get('etag')! } });
      problem(missing, 400);
      expect(missing.json!.errors).toEqual([{ pointer: '/text', detail: 'the placeholder {app} is missing', code: 'missing_argument', params: { name: '{app}' } }]);
      const badIcu = await call('PUT', '/custom-text/fr/login.title', { body: { text: 'Connexion {' } });
      problem(badIcu, 400);
      expect((badIcu.json!.errors as { detail: string }[])[0].detail).toMatch(/^not a valid ICU message/);
      problem(await call('PUT', '/custom-text/xx/login.title', { body: { text: 'x' } }), 400);
      const noKey = await call('PUT', '/custom-text/fr/login.nope', { body: { text: 'x' } });
      problem(noKey, 400);
      expect(noKey.json!.errors).toEqual([{ pointer: '/key', detail: expect.any(String), code: 'message_key', params: {} }]);
      problem(await call('PUT', '/custom-text/fr/login.title', { body: { text: 'x' }, token: await token({ scope: 'foyer/admin.read' }) }), 403);
      problem(await call('GET', '/custom-text/fr', { token: null }), 401);

      // Replacing the whole locale wants the ETag of the overrides as read: without it 428, stale 412, nothing written.
      const read = (await call('GET', '/custom-text/fr')).headers.get('etag')!;
      problem(await call('PUT', '/custom-text/fr', { body: { texts: { 'login.title': 'Connexion' } } }), 428);
      problem(await call('PUT', '/custom-text/fr', { body: { texts: { 'login.title': 'Connexion' } }, headers: { 'if-match': made.headers.get('etag')! } }), 412);
      expect((await call('GET', '/custom-text/fr')).headers.get('etag')).toBe(read);
      const bulk = await call('PUT', '/custom-text/fr', { body: { texts: { 'login.title': 'Connexion', 'login.subtitle': 'vers {app}' } }, headers: { 'if-match': read } });
      expect(bulk.json).toEqual({ locale: 'fr', texts: { 'login.subtitle': 'vers {app}', 'login.title': 'Connexion' } });
      const refusedBulk = await call('PUT', '/custom-text/fr', { body: { texts: { 'login.title': 'ok', 'login.subtitle': 'no app' } }, headers: { 'if-match': bulk.headers.get('etag')! } });
      problem(refusedBulk, 400);
      expect(refusedBulk.json!.errors).toEqual([{ pointer: '/login.subtitle', detail: 'the placeholder {app} is missing', code: 'missing_argument', params: { name: '{app}' } }]);
      const listed = await call('GET', '/custom-text/fr');
      expect(listed.json).toEqual(bulk.json);
      problem(await call('PUT', '/custom-text/fr', { body: { texts: {} }, headers: { 'if-match': made.headers.get('etag')! } }), 412);
      expect((await call('GET', '/custom-text/de')).json).toEqual({ locale: 'de', texts: {} });

      // A preview: checked as a save, shown on the preview screens of its locale only, never live.
      const preview = await call('POST', '/custom-text/fr/preview', { body: { texts: { 'login.title': 'Aperçu', 'login.subtitle': 'voir {app}' } } });
      expect(preview.status).toBe(200);
      const previewToken = preview.json!.token as string;
      expect(preview.json!.path).toBe(`/fr/preview/login?preview=${encodeURIComponent(previewToken)}`);
      const previewed = await pool.customText.previewMessages('fr', previewToken);
      expect([previewed?.login.title, previewed?.login.subtitle]).toEqual(['Aperçu', 'voir {app}']);
      expect(await pool.customText.previewMessages('de', previewToken)).toBeUndefined();
      expect((await pool.customText.messages('fr')).login.title).toBe('Connexion');
      expect(await pool.themes.preview(previewToken)).toBeDefined();
      const refusedPreview = await call('POST', '/custom-text/fr/preview', { body: { texts: { 'login.subtitle': 'sans {nope}' } } });
      problem(refusedPreview, 400);
      expect((refusedPreview.json!.errors as { pointer: string; code: string }[]).map((e) => [e.pointer, e.code])).toEqual([
        ['/texts/login.subtitle', 'missing_argument'],
        ['/texts/login.subtitle', 'extra_argument'],
      ]);
      problem(await call('POST', '/custom-text/fr/preview', { body: { texts: {} } }), 400);
      // In another theme than the pool's: a published one (built in here); an unknown one is not found.
      const themed = await call('POST', '/custom-text/fr/preview', { body: { texts: { 'login.title': 'Aperçu' }, theme: 'midnight' } });
      expect(themed.status).toBe(200);
      expect((await pool.themes.preview(themed.json!.token as string))?.theme.id).toBe('midnight');
      expect((await pool.themes.preview(previewToken))?.theme.id).not.toBe('midnight');
      problem(await call('POST', '/custom-text/fr/preview', { body: { texts: { 'login.title': 'Aperçu' }, theme: 'nope' } }), 404);
      problem(await call('POST', '/custom-text/fr/preview', { body: { texts: { 'login.title': 'Aperçu' }, theme: 'Not An Id' } }), 400);
      problem(await call('POST', '/custom-text/fr/preview', { body: { texts: { 'login.nope': 'x' } } }), 400);

      const one = await call('GET', '/custom-text/fr/login.title');
      expect((await call('DELETE', '/custom-text/fr/login.title', { headers: { 'if-match': one.headers.get('etag')! } })).status).toBe(204);
      problem(await call('GET', '/custom-text/fr/login.title'), 404);
      expect((await pool.customText.messages('fr')).login.title).not.toBe('Connexion');
      const actions = ((await call('GET', '/audit?resource_type=custom-text')).json!.items as { action: string }[]).map((e) => e.action);
      expect(actions).toEqual(['custom_text.delete', 'custom_text.replace', 'custom_text.create']);
    });
  });

  it('two writes with the same ETag at once: one lands, the other is refused (412)', async () => {
    await withApi(open, async ({ call, db }) => {
      const etag = (await call('GET', '/users/alice')).headers.get('etag')!;
      const patch = (v: string) => call('PATCH', '/users/alice', { body: { attributes: { 'custom:plan': v } }, headers: { 'if-match': etag } });
      let both: Awaited<ReturnType<typeof patch>>[];
      if (db.dialect === 'postgres') {
        // Both requests are held at the row (another session has it locked) until both wait there:
        // then they race for real, and the one that goes second must see the first one's change.
        const other = anotherConnection(db);
        let pending: Promise<Awaited<ReturnType<typeof patch>>[]> | undefined;
        await other.kysely.transaction().execute(async (tx) => {
          await tx.selectFrom('users').select('id').where('username_lower', '=', 'alice').forUpdate().execute();
          pending = Promise.all([patch('one'), patch('two')]);
          // Asked outside this transaction: inside it, pg_stat_activity is a snapshot taken once.
          const waiting = async () =>
            Number((await sql<{ n: string }>`select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`.execute(db.kysely)).rows[0].n);
          await expect.poll(waiting, { timeout: 10_000 }).toBe(2);
        });
        both = await pending!;
      } else {
        // SQLite has one writer at a time: the second transaction reads what the first wrote.
        both = await Promise.all([patch('one'), patch('two')]);
      }
      expect(both.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = both.find((r) => r.status === 200)!.json!;
      expect((await call('GET', '/users/alice')).json).toMatchObject({ attributes: winner.attributes });
      expect(((await call('GET', '/audit?action=user.update')).json!.items as unknown[]).length).toBe(1);
    });
  });

  it('events: filtered by user and type, newest first, a page at a time', async () => {
    await withApi(open, async ({ call, db }) => {
      const alice = (await call('GET', '/users/alice')).json!.sub as string;
      for (const [i, type] of ['sign_in', 'sign_in_failed', 'sign_in', 'password_changed'].entries()) {
        await db.kysely.insertInto('events').values({ type, user_id: alice, ip: '203.0.113.9', detail: JSON.stringify({ n: i }), created_at: 1_000 + i }).execute();
      }
      await db.kysely.insertInto('events').values({ type: 'sign_in', user_id: null, ip: null, detail: null, created_at: 2_000 }).execute();
      const first = await call('GET', '/users/alice/events?limit=3');
      expect((first.json!.items as { type: string; detail: { n: number } }[]).map((e) => e.detail.n)).toEqual([3, 2, 1]);
      const rest = await call('GET', `/users/alice/events?limit=3&cursor=${first.json!.next as string}`);
      expect((rest.json!.items as { detail: { n: number } }[]).map((e) => e.detail.n)).toEqual([0]);
      const signIns = await call('GET', '/events?username=alice&type=sign_in');
      expect((signIns.json!.items as { user_id: string; ip: string; at: number }[]).map((e) => [e.user_id, e.ip, e.at])).toEqual([[alice, '203.0.113.9', 1002], [alice, '203.0.113.9', 1000]]);
      expect(((await call('GET', '/events?type=sign_in&since=1500')).json!.items as unknown[]).length).toBe(1);
      expect((await call('GET', '/events?username=nobody')).json).toEqual({ items: [] });
    });
  });

  it('publishes an OpenAPI 3.1 document generated from the route table: every route, and only those', async () => {
    await withApi(open, async ({ base }) => {
      const res = await fetch(`${base}/openapi.json`);
      expect(res.status).toBe(200);
      const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, { operationId: string; parameters: { name: string; in: string }[]; requestBody?: unknown }>>; components: { schemas: Record<string, unknown> } };
      expect(doc.openapi).toBe('3.1.0');
      const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => `${m.toUpperCase()} ${path} ${op.operationId}`));
      expect(documented.sort()).toEqual(adminRoutes.map((r) => `${r.method} ${r.path} ${r.id}`).sort());
      for (const r of adminRoutes) {
        const op = doc.paths[r.path][r.method.toLowerCase()];
        const pathParams = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect(op.parameters.filter((p) => p.in === 'path').map((p) => p.name), r.id).toEqual(pathParams);
        expect(!!op.requestBody, r.id).toBe(!!r.body);
      }
      // Every $ref resolves.
      const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
      expect(refs.length).toBeGreaterThan(0);
      for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty([ref]);
      // The body schema is the pool config's user: its fields are documented.
      expect(JSON.stringify(doc.components.schemas.UserCreateInput)).toMatch(/"password_hash"/);
      z.object({ openapi: z.literal('3.1.0'), info: z.object({ title: z.string(), version: z.string() }) }).parse(doc);
    });
  });
});
