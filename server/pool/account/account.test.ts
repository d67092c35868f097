import { Secret, TOTP } from 'otpauth';
import { expect, it } from 'vitest';
import { parseSeed } from '../../config/seed';
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { describeEachDb } from '../../testing/databases';
import { testOutbox } from '../../testing/outbox';
import { SoftAuthenticator } from '../../testing/soft-authenticator';
import { createPool } from '../index';
import { providerStore, wiredRevocation } from '../../testing/wired';
import { applySeedIfEmpty } from '../../pool-config/apply';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const PASSWORD = 'violet tractor under seven lanterns';
const NEW_PASSWORD = 'orange kettle beside nine harbours';

const codeAt = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });
const ORIGIN = 'https://login.example.com';

describeEachDb('account self-service', (open) => {
  async function setup(mode: 'OFF' | 'OPTIONAL' | 'REQUIRED' = 'OPTIONAL', factors: ('totp' | 'email' | 'webauthn')[] = ['totp', 'email']) {
    const db = await open();
    let t = START;
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { mfa: { mode, factors, remember_device_days: 30 } },
        users: [
          { username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD },
          { username: 'bob', email: 'bob@example.com', email_verified: true, password: PASSWORD },
        ],
      }),
      t,
    );
    const outbox = testOutbox(db.kysely, { now: () => t });
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => t, publicUrl: ORIGIN, revocation: wiredRevocation(() => t) });
    const id = async (name: string) => (await db.kysely.selectFrom('users').select('id').where('username', '=', name).executeTakeFirstOrThrow()).id;
    /** An account session as the account pages' callback makes it, under a grant that exists. */
    const session = async (userId: string, grantId = `grant-${Math.random()}`) => {
      await providerStore(db.kysely).put({ model: 'Grant', id: grantId, accountId: userId, expiresAt: t + 3600_000 });
      const token = await pool.account.sessions.create({ userId, grantId, idToken: 'x.y.z', authTime: t, amr: ['pwd'] });
      return { token, grantId, s: (await pool.account.sessions.find({ token }))! };
    };
    return { db, pool, mails: outbox.mails, deliver: outbox.deliver, id, session, advance: (ms: number) => (t += ms), now: () => t };
  }

  it('an account session lives only while its grant does, and only with the right token', async () => {
    const { db, pool, id, session } = await setup();
    const alice = await id('alice');
    const { token, grantId, s } = await session(alice);
    expect(s).toMatchObject({ userId: alice, grantId, amr: ['pwd'] });
    expect(await pool.account.sessions.find({ token: `${token}x` })).toBeUndefined();
    expect(await pool.account.sessions.find({ token: undefined })).toBeUndefined();
    // The token itself is not stored.
    expect(await db.kysely.selectFrom('account_sessions').select('id').where('id', '=', token).executeTakeFirst()).toBeUndefined();
    await providerStore(db.kysely).remove(grantId);
    expect(await pool.account.sessions.find({ token })).toBeUndefined();
  });

  it('what is revealed once is gone after reading', async () => {
    const { pool, id, session } = await setup();
    const { s } = await session(await id('alice'));
    await pool.account.sessions.reveal({ id: s.id, value: '["a","b"]' });
    expect(await pool.account.sessions.takeReveal({ id: s.id })).toBe('["a","b"]');
    expect(await pool.account.sessions.takeReveal({ id: s.id })).toBeNull();
  });

  it('change password: the current one is checked and wrong guesses lock; policy applies; remembered devices are forgotten; the owner is told', async () => {
    const { db, pool, mails, deliver, id } = await setup();
    const alice = await id('alice');
    await db.kysely.insertInto('remembered_devices').values({ id: 'd1', user_id: alice, token_hash: 'h', created_at: START, expires_at: START + 86_400_000, last_used_at: null, label: null }).execute();
    expect(await pool.account.changePassword({ userId: alice, current: 'wrong one', next: NEW_PASSWORD, locale: 'en' })).toMatchObject({ error: 'wrong_password', field: 'current_password' });
    expect(await pool.account.changePassword({ userId: alice, current: PASSWORD, next: 'password1234', locale: 'en' })).toMatchObject({ error: 'password_common', field: 'new_password' });
    expect(await pool.account.changePassword({ userId: alice, current: PASSWORD, next: PASSWORD, locale: 'en' })).toMatchObject({ error: 'password_unchanged' });
    expect(await pool.account.changePassword({ userId: alice, current: PASSWORD, next: NEW_PASSWORD, locale: 'en' })).toEqual({ changed: true });
    await deliver();
    expect(mails.at(-1)).toMatchObject({ to: 'alice@example.com', subject: expect.stringMatching(/password was changed/) });
    expect(await pool.account.devices({ userId: alice })).toEqual([]);
    expect(await pool.signIn({ identifier: 'alice', password: NEW_PASSWORD, ip: '203.0.113.1', locale: 'en' })).toMatchObject({ done: { userId: alice } });
    // Five wrong current passwords lock, as at sign-in.
    let last;
    for (let i = 0; i < 6; i++) last = await pool.account.changePassword({ userId: alice, current: `wrong ${i}`, next: PASSWORD, locale: 'en' });
    expect(last).toMatchObject({ error: 'locked_out' });
  });

  it('change e-mail: the code is bound to the new address; a taken address gets a warning and no code; the old address is told', async () => {
    const { db, pool, mails, deliver, id } = await setup();
    const alice = await id('alice');
    expect(await pool.account.startEmailChange({ userId: alice, email: 'ALICE@example.com', locale: 'en' })).toMatchObject({ error: 'email_unchanged' });
    expect(await pool.account.startEmailChange({ userId: alice, email: 'bob@example.com', locale: 'en' })).toEqual({ sent: true });
    await deliver();
    expect(mails.at(-1)).toMatchObject({ to: 'bob@example.com', subject: expect.stringMatching(/Sign-up attempt/) });
    expect(await db.kysely.selectFrom('codes').select('id').where('user_id', '=', alice).execute()).toHaveLength(0);

    expect(await pool.account.startEmailChange({ userId: alice, email: 'alice.new@example.com', locale: 'en' })).toEqual({ sent: true });
    await deliver();
    const code = /(\d{6})/.exec(mails.at(-1)!.subject)![1];
    expect(mails.at(-1)!.to).toBe('alice.new@example.com');
    // The code does not prove another address.
    expect(await pool.account.confirmEmailChange({ userId: alice, email: 'other@example.com', code, locale: 'en' })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.account.confirmEmailChange({ userId: alice, email: 'alice.new@example.com', code, locale: 'en' })).toEqual({ changed: true });
    const user = await pool.users.get({ id: alice });
    expect(user).toMatchObject({ email: 'alice.new@example.com', emailVerified: true });
    await deliver();
    expect(mails.at(-1)).toMatchObject({ to: 'alice@example.com', subject: expect.stringMatching(/e-mail address was changed/) });
    expect(mails.at(-1)!.text).not.toContain('alice.new@example.com');
    // Once used, the code is spent.
    expect(await pool.account.confirmEmailChange({ userId: alice, email: 'alice.new@example.com', code, locale: 'en' })).toMatchObject({ error: 'invalid_code' });
  });

  it('authenticator app: the setup secret stays for the session and is sealed to the user; the first code enrols; recovery codes come with the first factor', async () => {
    const { pool, id, session, advance, now } = await setup();
    const alice = await id('alice');
    const bob = await id('bob');
    const { token, s } = await session(alice);
    const secret = await pool.account.startTotpSetup({ userId: alice, session: s });
    const again = (await pool.account.sessions.find({ token }))!;
    expect(await pool.account.startTotpSetup({ userId: alice, session: again })).toBe(secret);
    // Another user cannot use the sealed secret.
    expect(await pool.account.confirmTotpSetup({ userId: bob, sessionId: s.id, sealed: again.pendingTotp, code: codeAt(secret, now()), locale: 'en' })).toMatchObject({ error: 'setup_expired' });
    expect(await pool.account.confirmTotpSetup({ userId: alice, sessionId: s.id, sealed: again.pendingTotp, code: '000000', locale: 'en' })).toMatchObject({ error: 'invalid_code' });
    const done = await pool.account.confirmTotpSetup({ userId: alice, sessionId: s.id, sealed: again.pendingTotp, code: codeAt(secret, now()), locale: 'en' });
    expect(done).toMatchObject({ recoveryCodes: expect.any(Array) });
    expect((await pool.account.security({ userId: alice })).totp).toBe(true);
    expect((await pool.account.sessions.find({ token }))!.pendingTotp).toBeNull();
    // A second app (after removing the first) keeps the remaining recovery codes.
    expect(await pool.account.removeTotp({ userId: alice, locale: 'en' })).toEqual({ removed: true });
    const next = await pool.account.startTotpSetup({ userId: alice, session: (await pool.account.sessions.find({ token }))! });
    advance(60_000);
    const pending = (await pool.account.sessions.find({ token }))!.pendingTotp;
    expect(await pool.account.confirmTotpSetup({ userId: alice, sessionId: s.id, sealed: pending, code: codeAt(next, now()), locale: 'en' })).toEqual({ recoveryCodes: null });
    // A setup left for more than 15 minutes has expired.
    await pool.account.removeTotp({ userId: alice, locale: 'en' });
    const late = await pool.account.startTotpSetup({ userId: alice, session: (await pool.account.sessions.find({ token }))! });
    advance(16 * 60_000);
    const stale = (await pool.account.sessions.find({ token }))!.pendingTotp;
    expect(await pool.account.confirmTotpSetup({ userId: alice, sessionId: s.id, sealed: stale, code: codeAt(late, now()), locale: 'en' })).toMatchObject({ error: 'setup_expired' });
  });

  it('REQUIRED pool: the last second factor cannot be removed', async () => {
    const { pool, id, session, now } = await setup('REQUIRED', ['totp']);
    const alice = await id('alice');
    const { s } = await session(alice);
    const secret = await pool.account.startTotpSetup({ userId: alice, session: s });
    // The pending secret belongs to that account session only.
    expect((await session(alice)).s.pendingTotp).toBeNull();
    const sealed = (await pool.ctx.db.selectFrom('account_sessions').select('pending_totp').where('id', '=', s.id).executeTakeFirstOrThrow()).pending_totp;
    await pool.account.confirmTotpSetup({ userId: alice, sessionId: s.id, sealed, code: codeAt(secret, now()), locale: 'en' });
    expect(await pool.account.removeTotp({ userId: alice, locale: 'en' })).toMatchObject({ error: 'last_factor' });
    expect((await pool.account.security({ userId: alice })).totp).toBe(true);
  });

  it('OPTIONAL pool: e-mail codes are asked for only once the user turns them on', async () => {
    const { pool, id } = await setup('OPTIONAL', ['totp', 'email']);
    const alice = await id('alice');
    const signIn = () => pool.signIn({ identifier: 'alice', password: PASSWORD, ip: '203.0.113.1', locale: 'en' });
    expect(await signIn()).toMatchObject({ done: { amr: ['pwd'] } });
    expect(await pool.account.setCodesOptIn({ userId: alice, kind: 'email', on: true, locale: 'en' })).toEqual({ done: true });
    expect(await signIn()).toMatchObject({ next: { step: 'mfa', methods: ['email'] } });
    expect(await pool.account.setCodesOptIn({ userId: alice, kind: 'email', on: true, locale: 'en' })).toMatchObject({ error: 'wrong_step' });
    expect(await pool.account.setCodesOptIn({ userId: alice, kind: 'email', on: false, locale: 'en' })).toEqual({ done: true });
    expect(await signIn()).toMatchObject({ done: { amr: ['pwd'] } });
  });

  it('remembered devices and sign-ins: each user sees and revokes only their own', async () => {
    const { db, pool, mails, deliver, id, session } = await setup();
    const alice = await id('alice');
    const bob = await id('bob');
    await db.kysely
      .insertInto('remembered_devices')
      .values([
        { id: 'da', user_id: alice, token_hash: 'h', created_at: START, expires_at: START + 86_400_000, last_used_at: null, label: 'Chrome · Linux' },
        { id: 'db', user_id: bob, token_hash: 'h', created_at: START, expires_at: START + 86_400_000, last_used_at: null, label: null },
      ])
      .execute();
    expect((await pool.account.devices({ userId: alice })).map((d) => d.label)).toEqual(['Chrome · Linux']);
    expect(await pool.account.forgetDevice({ userId: alice, id: 'db', locale: 'en' })).toBe(false);
    expect(await pool.account.forgetDevice({ userId: alice, id: 'da', locale: 'en' })).toBe(true);
    expect(await pool.account.devices({ userId: bob })).toHaveLength(1);

    // Two provider sessions of alice's, each with a grant; one of bob's.
    const mine = await session(alice);
    const other = await session(alice);
    const bobs = await session(bob);
    const store = providerStore(db.kysely);
    const addSession = (sid: string, accountId: string, grantId: string) =>
      store.put({ model: 'Session', id: sid, accountId, payload: { accountId, loginTs: START / 1000, authorizations: { demo: { grantId } } }, uid: sid, expiresAt: START + 3600_000 });
    await addSession('s-mine', alice, mine.grantId);
    await addSession('s-other', alice, other.grantId);
    await addSession('s-bob', bob, bobs.grantId);
    const list = await pool.account.signIns({ userId: alice, currentGrantId: mine.grantId });
    expect(list.map((s) => s.current)).toEqual([true, false]);
    // A page names a sign-in by an opaque handle, never by its session id (a browser's bearer secret).
    for (const s of list) expect(s.handle).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(list)).not.toMatch(/s-mine|s-other/);
    const [mineRow, otherRow] = list;
    const [bobsRow] = await pool.account.signIns({ userId: bob, currentGrantId: bobs.grantId });
    expect(await pool.account.revokeSignIn({ userId: alice, sessionId: bobsRow.handle, locale: 'en' })).toBe(false);
    expect(await pool.account.revokeSignIn({ userId: alice, sessionId: 's-other', locale: 'en' })).toBe(false);
    expect(await pool.account.revokeSignIn({ userId: alice, sessionId: otherRow.handle, locale: 'en' })).toBe(true);
    expect(await pool.account.sessions.find({ token: other.token })).toBeUndefined();
    expect(await pool.account.sessions.find({ token: mine.token })).toBeDefined();
    expect(await pool.account.sessions.find({ token: bobs.token })).toBeDefined();
    // After a password change every other sign-in goes, this one stays.
    await addSession('s-third', alice, (await session(alice)).grantId);
    // An app's grant (and refresh token) from a browser session that has since expired goes too.
    const orphan = await session(alice);
    await store.put({ model: 'RefreshToken', id: 'rt-orphan', accountId: alice, grantId: orphan.grantId, expiresAt: START + 3600_000 });
    expect(await pool.account.changePassword({ userId: alice, current: PASSWORD, next: NEW_PASSWORD, locale: 'en', keepGrantId: mine.grantId })).toEqual({ changed: true });
    expect((await pool.account.signIns({ userId: alice, currentGrantId: mine.grantId })).map((s) => s.handle)).toEqual([mineRow.handle]);
    expect(await store.idsBesideSessions(alice)).toEqual([mine.grantId]);
    expect(await pool.account.sessions.find({ token: orphan.token })).toBeUndefined();
    expect(await pool.account.sessions.find({ token: bobs.token })).toBeDefined();
    await deliver();
    expect(mails.filter((m) => m.to === 'alice@example.com' && /A browser signed in to your .* account was signed out/.test(m.text))).toHaveLength(1);
  });

  it('passkeys: adding one and removing one are announced; the last factor of a REQUIRED pool stays', async () => {
    const { pool, id, mails, deliver } = await setup('REQUIRED', ['webauthn']);
    const alice = await id('alice');
    const add = async (auth: SoftAuthenticator, name: string) => {
      const options = await pool.passkeys.registrationOptions({ userId: alice });
      if ('error' in options) throw new Error(options.error);
      return pool.account.addPasskey({ userId: alice, response: auth.register(options as PublicKeyCredentialCreationOptionsJSON), name, locale: 'en' });
    };
    const laptop = await add(new SoftAuthenticator(ORIGIN), 'Laptop');
    const phone = await add(new SoftAuthenticator(ORIGIN, { backupEligible: true }), 'Phone');
    if ('error' in laptop || 'error' in phone) throw new Error('not registered');
    await deliver();
    expect(mails.filter((m) => m.to === 'alice@example.com' && /A passkey was added/.test(m.text))).toHaveLength(2);
    // A bad name stores nothing and tells no one.
    expect(await add(new SoftAuthenticator(ORIGIN), '')).toMatchObject({ error: 'required', field: 'name' });
    expect(await pool.passkeys.list({ userId: alice })).toHaveLength(2);

    expect(await pool.account.removePasskey({ userId: alice, id: 'no-such-passkey', locale: 'en' })).toMatchObject({ error: 'passkey_not_found' });
    expect(await pool.account.removePasskey({ userId: await id('bob'), id: laptop.passkey.id, locale: 'en' })).toMatchObject({ error: 'passkey_not_found' });
    expect(await pool.account.removePasskey({ userId: alice, id: laptop.passkey.id, locale: 'en' })).toEqual({ removed: true });
    expect(await pool.account.removePasskey({ userId: alice, id: phone.passkey.id, locale: 'en' })).toMatchObject({ error: 'last_factor' });
    expect((await pool.passkeys.list({ userId: alice })).map((k) => k.name)).toEqual(['Phone']);
    await deliver();
    expect(mails.filter((m) => /A passkey was removed/.test(m.text))).toHaveLength(1);
  });

  it('linked identities: unlinking is announced; the last way into an account without a password stays', async () => {
    const { db, pool, id, mails, deliver } = await setup();
    const alice = await id('alice');
    const bob = await id('bob');
    const link = (userId: string, provider: string, subject: string) =>
      db.kysely.insertInto('user_identities').values({ provider_name: provider, subject, user_id: userId, provider_type: 'oidc', issuer: null, linked_at: START, last_sign_in_at: null }).execute();
    await link(alice, 'Corp', 'a-1');
    await link(bob, 'Corp', 'b-1');
    expect(await pool.account.unlinkIdentity({ userId: alice, provider: 'Other', locale: 'en' })).toEqual({ refused: 'not_linked' });
    expect(await pool.account.unlinkIdentity({ userId: alice, provider: 'Corp', locale: 'en' })).toEqual({ unlinked: true });
    expect(await pool.identities.list({ userId: alice })).toEqual([]);
    expect(await pool.identities.list({ userId: bob })).toHaveLength(1);
    await deliver();
    expect(mails.filter((m) => m.to === 'alice@example.com' && /unlinked/.test(m.text))).toHaveLength(1);
    // bob came from the provider and has no password of ours: his only way in stays.
    await db.kysely.updateTable('users').set({ status: 'EXTERNAL_PROVIDER' }).where('id', '=', bob).execute();
    expect(await pool.account.unlinkIdentity({ userId: bob, provider: 'Corp', locale: 'en' })).toEqual({ refused: 'last_sign_in_method' });
    expect(await pool.identities.list({ userId: bob })).toHaveLength(1);
    await deliver();
    expect(mails.filter((m) => m.to === 'bob@example.com' && /unlinked/.test(m.text))).toHaveLength(0);
  });
});
