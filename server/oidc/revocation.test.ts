import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import { applySeedIfEmpty } from '../pool-config/apply';
import { createPool, signOutEverywhere } from '../pool';
import { describeEachDb } from '../testing/databases';
import { bedsOnFakeClock } from '../testing/oidc-testbed';
import { testOutbox } from '../testing/outbox';
import { providerRevocation } from './revocation';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const PASSWORD = 'violet tractor under seven lanterns';
const NEW_PASSWORD = 'orange kettle beside nine harbours';
/** Every model oidc-provider stores with an `accountId`, besides sessions and grants. */
const TOKEN_MODELS = ['AuthorizationCode', 'AccessToken', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest'];
const PER_BROWSER = 2 + TOKEN_MODELS.length;

describeEachDb('revoking everything of a user', (open) => {
  async function setup() {
    const db = await open();
    const t = START;
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { mfa: { mode: 'OPTIONAL', factors: ['totp', 'email', 'sms'] } },
        users: [
          { username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD },
          { username: 'bob', email: 'bob@example.com', email_verified: true, password: PASSWORD },
        ],
      }),
      t,
    );
    const outbox = testOutbox(db.kysely, { now: () => t });
    const revocation = providerRevocation(() => t);
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => t, revocation });
    const id = async (name: string) => (await db.kysely.selectFrom('users').select('id').where('username', '=', name).executeTakeFirstOrThrow()).id;
    const row = (model: string, rowId: string, accountId: string, payload: object, grantId: string | null = null) =>
      db.kysely
        .insertInto('oidc_artifacts')
        .values({ model, id: rowId, payload: JSON.stringify({ accountId, ...payload }), grant_id: grantId, user_code: null, uid: null, expires_at: t + 3600_000, consumed_at: null, account_id: accountId })
        .execute();
    /** One browser of `userId`: its session (signed in with `amr`), a grant, every kind of token under it, and an account-page session. */
    const browser = async (userId: string, name: string, amr = ['pwd']) => {
      const grantId = `${name}-grant`;
      await row('Session', `${name}-session`, userId, { amr, loginTs: START / 1000, authorizations: { demo: { grantId } } });
      await row('Grant', grantId, userId, {});
      for (const model of TOKEN_MODELS) await row(model, `${name}-${model}`, userId, { grantId }, grantId);
      await pool.account.sessions.create({ userId, grantId, idToken: 'x.y.z', authTime: START, amr });
      return grantId;
    };
    /** A grant whose browser session is gone (grants outlive sessions), with its refresh token. */
    const orphanGrant = async (userId: string, name: string) => {
      await row('Grant', `${name}-grant`, userId, {});
      await row('RefreshToken', `${name}-rt`, userId, { grantId: `${name}-grant` }, `${name}-grant`);
    };
    const artifactsOf = async (userId: string) =>
      (await db.kysely.selectFrom('oidc_artifacts').select('id').where('account_id', '=', userId).orderBy('id').execute()).map((r) => r.id);
    const accountSessionsOf = async (userId: string) =>
      (await db.kysely.selectFrom('account_sessions').select('grant_id').where('user_id', '=', userId).orderBy('grant_id').execute()).map((r) => r.grant_id);
    /** Two browsers and an orphaned grant of alice's, one browser of bob's. */
    const populated = async () => {
      const alice = await id('alice');
      const bob = await id('bob');
      await browser(alice, 'a1', ['pwd', 'otp', 'mfa']);
      await browser(alice, 'a2');
      await orphanGrant(alice, 'a-old');
      await browser(bob, 'b1', ['pwd', 'otp', 'mfa']);
      expect(await artifactsOf(alice)).toHaveLength(2 * PER_BROWSER + 2);
      return { alice, bob, bobsBefore: await artifactsOf(bob) };
    };
    return { db, pool, revocation, outbox, id, browser, artifactsOf, accountSessionsOf, populated };
  }

  it('a password reset ends every session, grant, code and token of the user, and only theirs', async () => {
    const { pool, outbox, artifactsOf, accountSessionsOf, populated } = await setup();
    const { alice, bob, bobsBefore } = await populated();
    const started = await pool.forgotPassword({ identifier: 'alice', ip: '203.0.113.1', locale: 'en' });
    if (!('next' in started) || started.next.step !== 'reset-password') throw new Error(`no reset step: ${JSON.stringify(started)}`);
    await outbox.deliver();
    const code = /\b(\d{6})\b/.exec(outbox.mails.at(-1)?.text ?? '')?.[1];
    expect(await pool.resetPassword({ step: started.next, code: code ?? '', password: NEW_PASSWORD, locale: 'en' })).toEqual({ next: { step: 'sign-in' } });
    expect(await artifactsOf(alice)).toEqual([]);
    expect(await accountSessionsOf(alice)).toEqual([]);
    expect(await artifactsOf(bob)).toEqual(bobsBefore);
    expect(await accountSessionsOf(bob)).toEqual(['b1-grant']);
  });

  it('a password change keeps this browser (its session, grants, tokens, account session) and ends the rest', async () => {
    const { pool, artifactsOf, accountSessionsOf, populated } = await setup();
    const { alice, bob, bobsBefore } = await populated();
    expect(await pool.account.changePassword({ userId: alice, current: PASSWORD, next: NEW_PASSWORD, locale: 'en', keepGrantId: 'a2-grant' })).toEqual({ changed: true });
    expect(await artifactsOf(alice)).toEqual(['a2-grant', 'a2-session', ...TOKEN_MODELS.map((m) => `a2-${m}`)].sort());
    expect(await accountSessionsOf(alice)).toEqual(['a2-grant']);
    expect(await artifactsOf(bob)).toEqual(bobsBefore);
  });

  it('disabling a user ends everything; enabling again revokes nothing', async () => {
    const { pool, artifactsOf, accountSessionsOf, populated, browser } = await setup();
    const { alice, bob, bobsBefore } = await populated();
    expect(await pool.users.setEnabled({ id: alice, enabled: false })).toBe(true);
    expect(await pool.users.get({ id: alice })).toMatchObject({ enabled: false });
    expect(await artifactsOf(alice)).toEqual([]);
    expect(await accountSessionsOf(alice)).toEqual([]);
    await browser(alice, 'a3');
    expect(await pool.users.setEnabled({ id: alice, enabled: true })).toBe(true);
    expect(await artifactsOf(alice)).toHaveLength(PER_BROWSER);
    expect(await pool.users.setEnabled({ id: 'no-such-user', enabled: false })).toBe(false);
    expect(await artifactsOf(bob)).toEqual(bobsBefore);
  });

  it('removing a factor ends everything (this browser aside) only when a session signed in with it', async () => {
    const { db, pool, artifactsOf, accountSessionsOf, populated } = await setup();
    const { alice, bob, bobsBefore } = await populated();
    // No session of alice's signed in with a text message: turning texts off ends nothing.
    await db.kysely.updateTable('users').set({ phone_number: '+15555550100', phone_number_verified: 1 }).where('id', '=', alice).execute();
    expect(await pool.account.setCodesOptIn({ userId: alice, kind: 'sms', on: true, locale: 'en', keepGrantId: 'a2-grant' })).toEqual({ done: true });
    expect(await pool.account.setCodesOptIn({ userId: alice, kind: 'sms', on: false, locale: 'en', keepGrantId: 'a2-grant' })).toEqual({ done: true });
    expect(await artifactsOf(alice)).toHaveLength(2 * PER_BROWSER + 2);
    // Browser a1 signed in with a one-time code: removing the authenticator app ends it and the rest.
    await db.kysely.insertInto('mfa_factors').values({ id: 'f1', user_id: alice, kind: 'totp', secret: 'sealed', last_used_step: null, created_at: START }).execute();
    expect(await pool.account.removeTotp({ userId: alice, locale: 'en', keepGrantId: 'a2-grant' })).toEqual({ removed: true });
    expect(await artifactsOf(alice)).toHaveLength(PER_BROWSER);
    expect(await accountSessionsOf(alice)).toEqual(['a2-grant']);
    expect(await artifactsOf(bob)).toEqual(bobsBefore);
  });

  it('an admin signs a user out everywhere by user name', async () => {
    const { db, revocation, artifactsOf, accountSessionsOf, populated } = await setup();
    const { alice, bob, bobsBefore } = await populated();
    expect(await signOutEverywhere({ db: db.kysely, revocation }, 'ALICE')).toEqual({ userId: alice, sessionsEnded: 2 });
    expect(await artifactsOf(alice)).toEqual([]);
    expect(await accountSessionsOf(alice)).toEqual([]);
    expect(await artifactsOf(bob)).toEqual(bobsBefore);
    expect(await signOutEverywhere({ db: db.kysely, revocation }, 'nobody')).toBeUndefined();
  });
});

describeEachDb('revocation through the provider', (open) => {
  const startBed = bedsOnFakeClock(START);

  it('refresh tokens become invalid_grant and access tokens 401 at userInfo; a kept browser keeps working until signed out everywhere', async () => {
    const db = await open();
    const bed = await startBed(db, [{ client_id: 'app' }]);
    const revocation = providerRevocation();
    const mine = await bed.signIn('app');
    const other = await bed.signIn('app');
    if (!mine.refresh_token || !other.refresh_token) throw new Error('no refresh tokens');
    expect(await bed.userinfo(other.access_token)).toBe(200);
    const grant = await db.kysely.selectFrom('oidc_artifacts').select('grant_id').where('model', '=', 'RefreshToken').where('id', '=', mine.refresh_token).executeTakeFirstOrThrow();

    // As after a password change in the browser holding `mine`.
    await revocation.revokeUser(db.kysely, bed.aliceId, { keepGrantId: grant.grant_id ?? undefined });
    expect(await bed.refresh('app', other.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await bed.userinfo(other.access_token)).toBe(401);
    const refreshed = await bed.refresh('app', mine.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(await bed.userinfo(mine.access_token)).toBe(200);

    expect(await signOutEverywhere({ db: db.kysely, revocation }, 'alice')).toMatchObject({ userId: bed.aliceId });
    const latest = (refreshed.body.refresh_token as string | undefined) ?? mine.refresh_token;
    expect(await bed.refresh('app', latest)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await bed.userinfo(refreshed.body.access_token as string)).toBe(401);
    expect(await db.kysely.selectFrom('oidc_artifacts').select('id').where('account_id', '=', bed.aliceId).execute()).toEqual([]);
  });
});
