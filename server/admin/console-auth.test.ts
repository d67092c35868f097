/**
 * The admin console's session as a way into the admin API (issue 12): who is let in (admin group,
 * second factor), what ends a session, and cross-origin writes refused. A real HTTP server on
 * 127.0.0.1, on SQLite and PostgreSQL.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import type { Db } from '../db/connect';
import { cookieName } from '../http/cookies';
import { providerRevocation } from '../oidc/revocation';
import { createPool } from '../pool';
import { applySeedIfEmpty } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { consoleAuthenticator, createAdminApi } from '.';

const ISSUER = 'https://id.example.test';
const PASSWORD = 'violet tractor under seven lanterns';
const COOKIE = cookieName('console', true);

async function start(db: Db) {
  const t = Date.now();
  await applySeedIfEmpty(
    db,
    parseSeed({
      pool: { admin_group: 'operators', mfa: { mode: 'OPTIONAL', factors: ['totp'] } },
      groups: [{ name: 'operators' }, { name: 'admins' }],
      users: [
        { username: 'olga', email: 'olga@example.test', email_verified: true, password: PASSWORD, groups: ['operators'] },
        { username: 'adam', email: 'adam@example.test', email_verified: true, password: PASSWORD, groups: ['admins'] },
      ],
    }),
  );
  const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', revocation: providerRevocation() });
  const api = createAdminApi({ pool, issuer: ISSUER, authenticators: [consoleAuthenticator({ issuer: ISSUER, pool })] });
  const server = http.createServer((req, res) => void api.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/api/v1`;
  const idOf = async (name: string) => (await db.kysely.selectFrom('users').select('id').where('username', '=', name).executeTakeFirstOrThrow()).id;
  /** A signed-in browser: the provider's grant, and a console session (or an account one) on it. */
  const signIn = async (name: string, amr: string[], kind: 'console' | 'account' = 'console') => {
    const userId = await idOf(name);
    const grantId = `${name}-${amr.join('-')}-${kind}-grant`;
    await db.kysely
      .insertInto('oidc_artifacts')
      .values({ model: 'Grant', id: grantId, payload: JSON.stringify({ accountId: userId }), grant_id: null, user_code: null, uid: null, expires_at: t + 3600_000, consumed_at: null, account_id: userId })
      .execute();
    const session = { userId, grantId, idToken: 'x.y.z', authTime: t, amr };
    return kind === 'console' ? pool.console.sessions.create(session) : pool.account.sessions.create(session);
  };
  const call = async (method: string, path: string, token: string | undefined, headers: Record<string, string> = {}, body?: unknown) => {
    const h: Record<string, string> = { ...headers };
    if (token !== undefined) h.cookie = `other=1; ${COOKIE}=${token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
  };
  return { db, pool, call, signIn, idOf, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function withApi(open: () => Promise<Db>, fn: (api: Awaited<ReturnType<typeof start>>) => Promise<void>) {
  const api = await start(await open());
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

describeEachDb('the console session as an admin API authenticator', (open) => {
  it('lets in a member of pool.admin_group who signed in with a second factor, and audits as that user', async () => {
    await withApi(open, async ({ call, signIn, idOf, db }) => {
      const token = await signIn('olga', ['pwd', 'otp', 'mfa']);
      expect((await call('GET', '/users/adam', token)).status).toBe(200);
      const made = await call('POST', '/users', token, { origin: 'https://id.example.test' }, { username: 'carol', password: PASSWORD });
      expect(made.status).toBe(201);
      const audit = await db.kysely.selectFrom('audit').select(['actor_type', 'actor', 'action']).where('action', '=', 'user.create').execute();
      expect(audit).toEqual([{ actor_type: 'user', actor: await idOf('olga'), action: 'user.create' }]);
    });
  });

  it('refuses a user outside the admin group (the default group name does not count), one without MFA, and an account-page cookie', async () => {
    await withApi(open, async ({ call, signIn }) => {
      const adam = await signIn('adam', ['pwd', 'otp', 'mfa']);
      expect(await call('GET', '/users', adam)).toMatchObject({ status: 403, json: { type: '/admin/api/v1/problems/forbidden' } });
      const noMfa = await signIn('olga', ['pwd']);
      expect(await call('GET', '/users', noMfa)).toMatchObject({ status: 403, json: { detail: expect.stringMatching(/second factor/) } });
      // The account pages' session of the same admin, with MFA, is not a console session.
      const account = await signIn('olga', ['pwd', 'otp', 'mfa'], 'account');
      expect((await call('GET', '/users', account)).status).toBe(401);
      expect((await call('GET', '/users', 'made-up')).status).toBe(401);
      // No cookie at all: no authenticator applies.
      expect(await call('GET', '/users', undefined)).toMatchObject({ status: 401, json: { type: '/admin/api/v1/problems/unauthenticated' } });
    });
  });

  it('refuses a write from another origin, or with no origin at all; reads need none', async () => {
    await withApi(open, async ({ call, signIn }) => {
      const token = await signIn('olga', ['pwd', 'otp', 'mfa']);
      const body = { username: 'mallory', password: PASSWORD };
      expect(await call('POST', '/users', token, { origin: 'https://evil.example' }, body)).toMatchObject({ status: 403, json: { type: '/admin/api/v1/problems/cross-origin' } });
      expect((await call('POST', '/users', token, {}, body)).status).toBe(403);
      expect((await call('POST', '/users', token, { 'sec-fetch-site': 'cross-site' }, body)).status).toBe(403);
      expect((await call('POST', '/users', token, { 'sec-fetch-site': 'same-origin' }, body)).status).toBe(201);
      expect((await call('GET', '/users/mallory', token, { origin: 'https://evil.example' })).status).toBe(200);
    });
  });

  it('ends with the admin leaving the group, being disabled, or signed out everywhere', async () => {
    await withApi(open, async ({ call, signIn, pool, idOf, db }) => {
      const token = await signIn('olga', ['pwd', 'otp', 'mfa']);
      expect((await call('GET', '/users', token)).status).toBe(200);
      const olga = await idOf('olga');
      await db.kysely.deleteFrom('user_groups').where('user_id', '=', olga).execute();
      expect((await call('GET', '/users', token)).status).toBe(403);
      await db.kysely.insertInto('user_groups').values({ user_id: olga, group_name: 'operators' }).execute();
      expect((await call('GET', '/users', token)).status).toBe(200);
      await pool.users.setEnabled({ id: olga, enabled: false });
      expect((await call('GET', '/users', token)).status).toBe(401);
      await pool.users.setEnabled({ id: olga, enabled: true });
      const again = await signIn('olga', ['pwd', 'otp', 'mfa']);
      expect((await call('GET', '/users', again)).status).toBe(200);
      await pool.users.signOutEverywhere({ id: olga });
      expect((await call('GET', '/users', again)).status).toBe(401);
    });
  });
});
