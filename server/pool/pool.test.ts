/**
 * Integration tests of the pool façade (createPool) against SQLite and PostgreSQL.
 * Every test gets a fresh migrated database, an outbox delivering into an array and a clock it controls.
 */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import type { Db } from '../db/connect';
import { describeEachDb } from '../testing/databases';
import { codeIn, testOutbox } from '../testing/outbox';
import { sweepMessages } from '../outbox/store';
import { createPool, type FlowOutcome, type FlowStep, type PoolError } from './index';
import { isCommonPassword } from './passwords/common-passwords';
import { applySeedIfEmpty } from '../pool-config/apply';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const GOOD = 'violet tractor under seven lanterns';
const OTHER_GOOD = 'amber kettles hum beneath quiet bridges';
const IP = '203.0.113.7';

type Result = FlowOutcome | PoolError | { sent: true };

/** A finished or next-step outcome, or a failure: narrowing helpers that fail loudly. */
function next(r: Result): FlowStep {
  if (!('next' in r)) throw new Error(`expected a next step, got ${JSON.stringify(r)}`);
  return r.next;
}
function step<K extends FlowStep['step']>(r: Result, kind: K): Extract<FlowStep, { step: K }> {
  const s = next(r);
  if (s.step !== kind) throw new Error(`expected step ${kind}, got ${JSON.stringify(s)}`);
  return s as Extract<FlowStep, { step: K }>;
}

function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

describeEachDb('pool', (open) => {
  async function setup(seedInput: Record<string, unknown> = {}) {
    const db: Db = await open();
    let t = START;
    const clock = {
      now: () => t,
      advance: (ms: number) => {
        t += ms;
      },
    };
    const outbox = testOutbox(db.kysely, { now: clock.now });
    const sent = outbox.mails;
    await applySeedIfEmpty(db, parseSeed(seedInput), clock.now());
    const base = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: clock.now });
    // Codes are mailed after the answer (so timing reveals nothing): the outbox worker delivers
    // what was queued before a test looks at what was sent.
    const settled = <A extends unknown[], R>(fn: (...a: A) => Promise<R>) => async (...a: A) => {
      const r = await fn(...a);
      await outbox.deliver();
      return r;
    };
    const pool = {
      ...base,
      signUp: settled(base.signUp),
      signIn: settled(base.signIn),
      resendCode: settled(base.resendCode),
      forgotPassword: settled(base.forgotPassword),
      resetPassword: settled(base.resetPassword),
    };
    const userId = async (username: string) =>
      (await db.kysely.selectFrom('users').select('id').where('username_lower', '=', username.toLowerCase()).executeTakeFirstOrThrow()).id;
    const userCount = async () => Number((await db.kysely.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    /** The n-th mail delivered to `to`. */
    const mailTo = async (to: string, n = 1) => {
      await outbox.deliver();
      expect(sent.filter((m) => m.to === to).length).toBeGreaterThanOrEqual(n);
      return sent.filter((m) => m.to === to)[n - 1];
    };
    return { db, pool, sent, outbox, clock, userId, userCount, mailTo };
  }

  const signUpInput = (over: Partial<Parameters<ReturnType<typeof createPool>['signUp']>[0]> = {}) => ({
    username: 'newcomer',
    email: 'newcomer@example.com',
    phoneNumber: null,
    password: GOOD,
    attributes: {},
    ip: IP,
    locale: 'en',
    ...over,
  });

  const alice = {
    username: 'Alice',
    email: 'Alice@Example.com',
    email_verified: true,
    password: GOOD,
    status: 'CONFIRMED',
  };

  // ---------------------------------------------------------------- sign-up and confirmation

  it('sign-up creates an UNCONFIRMED user and mails a 6-digit code that confirms it once', async () => {
    const { pool, sent } = await setup();
    const r = await pool.signUp(signUpInput());
    const s = step(r, 'confirm-account');
    expect(s.userId).toEqual(expect.any(String));
    expect(s.destination).toBe('n***@e***.com');
    const id = s.userId!;

    const before = await pool.users.get({ id });
    expect(before).toMatchObject({ username: 'newcomer', email: 'newcomer@example.com', status: 'UNCONFIRMED', emailVerified: false });

    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe('newcomer@example.com');
    expect(sent[0].subject).toContain('confirmation code');
    const code = codeIn(sent[0]);
    expect(code).toMatch(/^\d{6}$/);

    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toEqual({ done: { userId: id, amr: ['pwd'] } });
    expect(await pool.users.get({ id })).toMatchObject({ status: 'CONFIRMED', emailVerified: true });

    // Single use.
    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toMatchObject({ error: 'invalid_code', field: 'code' });
    // And the account now signs in, by username and by its (now verified) e-mail.
    expect(await pool.signIn({ identifier: 'newcomer', password: GOOD, ip: IP, locale: 'en' })).toEqual({ done: { userId: id, amr: ['pwd'] } });
    expect(await pool.signIn({ identifier: 'NEWCOMER@example.COM', password: GOOD, ip: IP, locale: 'en' })).toEqual({ done: { userId: id, amr: ['pwd'] } });
  });

  it('a wrong confirmation code is invalid_code and five wrong codes burn it', async () => {
    const { pool, sent } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account');
    const code = codeIn(sent[0]);
    const wrong = otherCode(code);

    for (let i = 1; i <= 4; i++) {
      expect(await pool.confirmAccount({ step: s, code: wrong, locale: 'en', ip: IP })).toMatchObject({ error: 'invalid_code' });
    }
    expect(await pool.confirmAccount({ step: s, code: wrong, locale: 'en', ip: IP })).toMatchObject({ error: 'too_many_attempts' });
    // Burnt: even the right code no longer works.
    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toMatchObject({ error: 'too_many_attempts' });
    expect(await pool.users.get({ id: s.userId! })).toMatchObject({ status: 'UNCONFIRMED', emailVerified: false });
  });

  it('the right code still works after four wrong ones', async () => {
    const { pool, sent } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account');
    const code = codeIn(sent[0]);
    for (let i = 1; i <= 4; i++) expect(await pool.confirmAccount({ step: s, code: otherCode(code), locale: 'en', ip: IP })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toEqual({ done: { userId: s.userId, amr: ['pwd'] } });
  });

  it('parallel wrong guesses cannot get past the five attempts', async () => {
    const { pool, sent } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account');
    const code = codeIn(sent[0]);
    const wrong = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'));
    const results = await Promise.all(wrong.map((w) => pool.confirmAccount({ step: s, code: w, locale: 'en', ip: IP })));
    expect(results.filter((r) => 'error' in r && r.error === 'invalid_code').length).toBeLessThanOrEqual(4);
    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toMatchObject({ error: 'too_many_attempts' });
  });

  it('an expired confirmation code is expired_code', async () => {
    const { pool, sent, clock } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account');
    const code = codeIn(sent[0]);
    clock.advance(10 * 60_000 + 1_000);
    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toMatchObject({ error: 'expired_code', field: 'code' });
    expect(await pool.users.get({ id: s.userId! })).toMatchObject({ status: 'UNCONFIRMED' });
  });

  it('a code just inside its 10 minutes still works', async () => {
    const { pool, sent, clock } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account');
    clock.advance(10 * 60_000 - 1_000);
    expect(await pool.confirmAccount({ step: s, code: codeIn(sent[0]), locale: 'en', ip: IP })).toMatchObject({ done: { userId: s.userId } });
  });

  it('confirming without a user (the anti-enumeration step) is invalid_code', async () => {
    const { pool } = await setup();
    expect(await pool.confirmAccount({ step: { step: 'confirm-account', userId: null, destination: null }, code: '123456', locale: 'en', ip: IP })).toMatchObject({
      error: 'invalid_code',
    });
  });

  // ---------------------------------------------------------------- password policy

  it('enforces the password policy at sign-up', async () => {
    const { pool, sent, userCount } = await setup();

    // 15 characters by default where the password is the only factor (MFA OFF).
    expect(await pool.signUp(signUpInput({ password: 'short-pass-12' }))).toMatchObject({
      error: 'password_too_short',
      field: 'password',
      params: { min: 15 },
    });

    expect(isCommonPassword('passwordpassword')).toBe(true);
    expect(await pool.signUp(signUpInput({ password: 'passwordpassword' }))).toMatchObject({ error: 'password_common', field: 'password' });

    expect(await pool.signUp(signUpInput({ username: 'margaret', password: 'Margaret-walks-the-long-dog' }))).toMatchObject({
      error: 'password_contains_username',
    });
    // The e-mail's local part counts as the username too.
    expect(
      await pool.signUp(signUpInput({ username: 'someone', email: 'hortensia@example.com', password: 'my hortensia grows tall' })),
    ).toMatchObject({ error: 'password_contains_username' });

    expect(await pool.signUp(signUpInput({ password: 'x'.repeat(129) }))).toMatchObject({ error: 'password_too_long', params: { max: 128 } });

    expect(await userCount()).toBe(0);
    expect(sent).toHaveLength(0);

    expect(isCommonPassword(GOOD)).toBe(false);
    expect(step(await pool.signUp(signUpInput({ password: GOOD })), 'confirm-account').userId).toEqual(expect.any(String));
    expect(await userCount()).toBe(1);
  });

  it('follows a custom minimum length from the settings', async () => {
    const { pool } = await setup({ pool: { password_policy: { min_length: 20 } } });
    expect(await pool.signUp(signUpInput({ password: 'sixteen chars ok' }))).toMatchObject({ error: 'password_too_short', params: { min: 20 } });
  });

  // ---------------------------------------------------------------- duplicates and enumeration

  it('a taken username (in any case) is user_exists', async () => {
    const { pool, userCount } = await setup({ users: [alice] });
    expect(await pool.signUp(signUpInput({ username: 'alice', email: 'other@example.com' }))).toMatchObject({
      error: 'user_exists',
      field: 'username',
    });
    expect(await pool.signUp(signUpInput({ username: 'ALICE', email: 'other@example.com' }))).toMatchObject({ error: 'user_exists' });
    expect(await userCount()).toBe(1);
  });

  it('sign-up with an already verified e-mail answers like success and mails the owner instead', async () => {
    const { pool, sent, userCount, mailTo } = await setup({ users: [alice] });
    const r = await pool.signUp(signUpInput({ username: 'intruder', email: 'ALICE@example.com' }));
    const s = step(r, 'confirm-account');
    expect(s).toEqual({ step: 'confirm-account', userId: expect.any(String), destination: 'A***@e***.com' });
    // The account exists (its username is taken alike) but its e-mail stays unverified.
    expect(await userCount()).toBe(2);
    expect(await pool.users.get({ id: s.userId! })).toMatchObject({ status: 'UNCONFIRMED', emailVerified: false });
    expect(await pool.signUp(signUpInput({ username: 'intruder', email: 'other@example.com' }))).toMatchObject({ error: 'user_exists' });

    const mail = await mailTo('ALICE@example.com');
    expect(mail.subject).toBe('Sign-up attempt for your Foyer account');
    expect(mail.text).toContain('already has one');
    expect(mail.text).not.toMatch(/\b\d{6}\b/);
    expect(sent).toHaveLength(1);

    // Even with a code (resent to the owner's mailbox), the address cannot be verified twice.
    await pool.resendCode({ uid: 'flow-x', step: s, locale: 'en', ip: '127.0.0.1' });
    const code = codeIn(await mailTo('ALICE@example.com', 2));
    expect(await pool.confirmAccount({ step: s, code, locale: 'en', ip: IP })).toEqual({ error: 'email_taken' });
    expect(await pool.users.get({ id: s.userId! })).toMatchObject({ status: 'UNCONFIRMED', emailVerified: false });
  });

  it('a username shaped like an e-mail or phone number is refused while those are sign-in aliases', async () => {
    const { pool } = await setup({ pool: { sign_in_aliases: ['username', 'email', 'phone_number'] } });
    expect(await pool.signUp(signUpInput({ username: 'victim@example.com' }))).toMatchObject({ error: 'username_looks_like_alias' });
    expect(await pool.signUp(signUpInput({ username: '+14155550100' }))).toMatchObject({ error: 'username_looks_like_alias' });
  });

  it('with username-only sign-in, any username shape is fine', async () => {
    const { pool } = await setup({ pool: { sign_in_aliases: ['username'] } });
    expect(await pool.signUp(signUpInput({ username: 'me@home' }))).toMatchObject({ next: { step: 'confirm-account' } });
  });

  it('an unverified copy of an e-mail does not block sign-up', async () => {
    const { pool, userCount } = await setup({ users: [{ ...alice, email_verified: false, status: 'UNCONFIRMED' }] });
    const s = step(await pool.signUp(signUpInput({ username: 'bob', email: 'alice@example.com' })), 'confirm-account');
    expect(s.userId).toEqual(expect.any(String));
    expect(await userCount()).toBe(2);
  });

  it('self sign-up can be switched off', async () => {
    const { pool } = await setup({ pool: { self_sign_up: false } });
    expect(await pool.signUp(signUpInput())).toEqual({ error: 'sign_up_disabled' });
  });

  // ---------------------------------------------------------------- sign-in

  it('usernames and e-mails are case-insensitive at sign-in', async () => {
    const { pool, userId } = await setup({ users: [alice] });
    const done = { done: { userId: await userId('alice'), amr: ['pwd'] } };
    for (const identifier of ['Alice', 'alice', 'ALICE', 'alice@example.com', 'ALICE@EXAMPLE.COM', 'Alice@Example.com']) {
      expect(await pool.signIn({ identifier, password: GOOD, ip: IP, locale: 'en' }), identifier).toEqual(done);
    }
  });

  it('an unverified e-mail is not a sign-in alias', async () => {
    const { pool } = await setup({ users: [{ ...alice, email_verified: false }] });
    expect(await pool.signIn({ identifier: 'alice@example.com', password: GOOD, ip: IP, locale: 'en' })).toEqual({ error: 'invalid_credentials' });
  });

  it('signIn: right password is done; wrong password and unknown user get the same answer', async () => {
    const { pool, userId } = await setup({ users: [alice] });
    expect(await pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' })).toEqual({
      done: { userId: await userId('alice'), amr: ['pwd'] },
    });
    const wrong = await pool.signIn({ identifier: 'alice', password: OTHER_GOOD, ip: IP, locale: 'en' });
    const unknown = await pool.signIn({ identifier: 'nobody', password: GOOD, ip: IP, locale: 'en' });
    const unknownMail = await pool.signIn({ identifier: 'nobody@example.com', password: GOOD, ip: IP, locale: 'en' });
    expect(wrong).toEqual({ error: 'invalid_credentials' });
    expect(unknown).toEqual(wrong);
    expect(unknownMail).toEqual(wrong);
  });

  it('locks an account after 5 failures, refuses even the right password, and unlocks in time', async () => {
    const { pool, clock, userId } = await setup({
      pool: { lockout: { free_failures: 4, base_seconds: 60, max_seconds: 900 } },
      users: [alice],
    });
    const id = await userId('alice');
    const attempt = (password: string, identifier = 'alice') => pool.signIn({ identifier, password, ip: IP, locale: 'en' });

    for (let i = 1; i <= 4; i++) expect(await attempt(OTHER_GOOD), `failure ${i}`).toEqual({ error: 'invalid_credentials' });
    expect(await attempt(OTHER_GOOD)).toEqual({ error: 'locked_out', retryAfter: 60 });

    // The right password is refused while locked, under any alias of the same user.
    clock.advance(20_000);
    expect(await attempt(GOOD)).toEqual({ error: 'locked_out', retryAfter: 40 });
    expect(await attempt(GOOD, 'ALICE@example.com')).toEqual({ error: 'locked_out', retryAfter: 40 });

    // When the lock has passed, the right password works and clears the count.
    clock.advance(40_001);
    expect(await attempt(GOOD)).toEqual({ done: { userId: id, amr: ['pwd'] } });
    for (let i = 1; i <= 4; i++) expect(await attempt(OTHER_GOOD)).toEqual({ error: 'invalid_credentials' });
    expect(await attempt(OTHER_GOOD)).toEqual({ error: 'locked_out', retryAfter: 60 });
  });

  it('parallel failures all count towards the lock', async () => {
    const { pool } = await setup({ pool: { lockout: { free_failures: 4, base_seconds: 60, max_seconds: 900 } }, users: [alice] });
    await Promise.all(
      Array.from({ length: 8 }, () => pool.signIn({ identifier: 'alice', password: OTHER_GOOD, ip: IP, locale: 'en' })),
    );
    expect(await pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' })).toMatchObject({ error: 'locked_out' });
  });

  it('lock time doubles with further failures, up to the cap', async () => {
    const { pool, clock } = await setup({
      pool: { lockout: { free_failures: 4, base_seconds: 60, max_seconds: 150 } },
      users: [alice],
    });
    const attempt = () => pool.signIn({ identifier: 'alice', password: OTHER_GOOD, ip: IP, locale: 'en' });
    for (let i = 1; i <= 4; i++) await attempt();
    expect(await attempt()).toEqual({ error: 'locked_out', retryAfter: 60 });
    clock.advance(61_000);
    expect(await attempt()).toEqual({ error: 'locked_out', retryAfter: 120 });
    clock.advance(121_000);
    expect(await attempt()).toEqual({ error: 'locked_out', retryAfter: 150 });
  });

  it('unknown identifiers lock exactly like real ones', async () => {
    const { pool, clock } = await setup({ pool: { lockout: { free_failures: 4, base_seconds: 60, max_seconds: 900 } } });
    const attempt = (identifier = 'ghost') => pool.signIn({ identifier, password: GOOD, ip: IP, locale: 'en' });
    for (let i = 1; i <= 4; i++) expect(await attempt()).toEqual({ error: 'invalid_credentials' });
    expect(await attempt()).toEqual({ error: 'locked_out', retryAfter: 60 });
    expect(await attempt('GHOST')).toEqual({ error: 'locked_out', retryAfter: 60 });
    expect(await attempt('someone-else')).toEqual({ error: 'invalid_credentials' });
    // Once the lock has passed the attempt is checked again; the next failure locks for longer.
    clock.advance(30_000);
    expect(await attempt()).toEqual({ error: 'locked_out', retryAfter: 30 });
    clock.advance(30_001);
    expect(await attempt()).toEqual({ error: 'locked_out', retryAfter: 120 });
  });

  it('rate-limits sign-in per IP', async () => {
    const { pool, clock, userId } = await setup({ pool: { rate_limits: { sign_in_per_ip_per_5_minutes: 3 } }, users: [alice] });
    const done = { done: { userId: await userId('alice'), amr: ['pwd'] } };
    const attempt = (ip = IP) => pool.signIn({ identifier: 'alice', password: GOOD, ip, locale: 'en' });
    for (let i = 1; i <= 3; i++) expect(await attempt()).toEqual(done);
    clock.advance(60_000);
    expect(await attempt()).toEqual({ error: 'rate_limited', retryAfter: 240 });
    // Other addresses are not affected.
    expect(await attempt('198.51.100.1')).toEqual(done);
    // A new window opens after five minutes.
    clock.advance(4 * 60_000);
    expect(await attempt()).toEqual(done);
  });

  it('rate-limits sign-up and forgot-password per IP', async () => {
    const { pool } = await setup({ pool: { rate_limits: { sign_up_per_ip_per_hour: 1, forgot_password_per_ip_per_hour: 1 } } });
    expect(next(await pool.signUp(signUpInput({ username: 'one', email: 'one@example.com' }))).step).toBe('confirm-account');
    expect(await pool.signUp(signUpInput({ username: 'two', email: 'two@example.com' }))).toMatchObject({ error: 'rate_limited' });
    expect(next(await pool.forgotPassword({ identifier: 'x', ip: IP, locale: 'en' })).step).toBe('reset-password');
    expect(await pool.forgotPassword({ identifier: 'x', ip: IP, locale: 'en' })).toMatchObject({ error: 'rate_limited' });
  });

  it('a disabled user gets exactly a wrong password\'s answer, counted toward the lock, even for the right password', async () => {
    const { pool, db, userId } = await setup({ pool: { lockout: { free_failures: 4, base_seconds: 60, max_seconds: 900 } }, users: [alice] });
    await db.kysely.updateTable('users').set({ enabled: 0 }).where('id', '=', await userId('alice')).execute();
    const right = () => pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' });
    const wrong = () => pool.signIn({ identifier: 'alice', password: OTHER_GOOD, ip: IP, locale: 'en' });
    expect(await right()).toEqual({ error: 'invalid_credentials' });
    expect(await right()).toEqual(await wrong());
    expect(await right()).toEqual({ error: 'invalid_credentials' });
    expect(await right()).toEqual({ error: 'locked_out', retryAfter: 60 });
    expect(await pool.users.claims({ id: await userId('alice') })).toBeUndefined();
  });

  // ---------------------------------------------------------------- user statuses at sign-in

  it('an UNCONFIRMED user signing in is sent to confirm-account with a fresh code', async () => {
    const { pool, sent } = await setup();
    const first = step(await pool.signUp(signUpInput()), 'confirm-account');
    const s = step(await pool.signIn({ identifier: 'newcomer', password: GOOD, ip: IP, locale: 'en' }), 'confirm-account');
    expect(s).toEqual({ step: 'confirm-account', userId: first.userId, destination: 'n***@e***.com' });
    expect(sent).toHaveLength(2);
    // The new code replaces the first one.
    const [oldCode, newCode] = [codeIn(sent[0]), codeIn(sent[1])];
    if (oldCode !== newCode) expect(await pool.confirmAccount({ step: s, code: oldCode, locale: 'en', ip: IP })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.confirmAccount({ step: s, code: newCode, locale: 'en', ip: IP })).toEqual({ done: { userId: first.userId, amr: ['pwd'] } });
  });

  it('a wrong password for an UNCONFIRMED user reveals nothing and sends nothing', async () => {
    const { pool, sent } = await setup();
    await pool.signUp(signUpInput());
    expect(await pool.signIn({ identifier: 'newcomer', password: OTHER_GOOD, ip: IP, locale: 'en' })).toEqual({ error: 'invalid_credentials' });
    expect(sent).toHaveLength(1);
  });

  it('FORCE_CHANGE_PASSWORD leads to new-password, and completeNewPassword signs in', async () => {
    const temp = 'temporary admin password 42';
    const { pool, userId } = await setup({ users: [{ ...alice, password: temp, status: 'FORCE_CHANGE_PASSWORD' }] });
    const id = await userId('alice');
    const s = step(await pool.signIn({ identifier: 'alice', password: temp, ip: IP, locale: 'en' }), 'new-password');
    expect(s).toEqual({ step: 'new-password', userId: id });

    expect(await pool.completeNewPassword({ step: s, password: 'alice-in-wonderland-2030', locale: 'en', ip: IP })).toMatchObject({ error: 'password_contains_username' });
    expect(await pool.completeNewPassword({ step: s, password: 'too short', locale: 'en', ip: IP })).toMatchObject({ error: 'password_too_short' });
    expect(await pool.completeNewPassword({ step: s, password: GOOD, locale: 'en', ip: IP })).toEqual({ done: { userId: id, amr: ['pwd'] } });
    expect(await pool.users.get({ id })).toMatchObject({ status: 'CONFIRMED' });

    expect(await pool.signIn({ identifier: 'alice', password: temp, ip: IP, locale: 'en' })).toEqual({ error: 'invalid_credentials' });
    expect(await pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' })).toEqual({ done: { userId: id, amr: ['pwd'] } });
  });

  it('RESET_REQUIRED leads to reset-password with a mailed code; the reset confirms the user', async () => {
    const { pool, sent, userId } = await setup({ users: [{ ...alice, status: 'RESET_REQUIRED' }] });
    const id = await userId('alice');
    const s = step(await pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' }), 'reset-password');
    expect(s).toEqual({ step: 'reset-password', userId: id, identifier: 'alice', destination: 'A***@E***.com', forced: true });
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe('Alice@Example.com');
    expect(sent[0].subject).toContain('password reset code');

    expect(await pool.resetPassword({ step: s, code: codeIn(sent[0]), password: OTHER_GOOD, locale: 'en' })).toEqual({ next: { step: 'sign-in' } });
    expect(await pool.users.get({ id })).toMatchObject({ status: 'CONFIRMED' });
    expect(await pool.signIn({ identifier: 'alice', password: OTHER_GOOD, ip: IP, locale: 'en' })).toEqual({ done: { userId: id, amr: ['pwd'] } });
  });

  // ---------------------------------------------------------------- forgot / reset password

  it('forgot → reset: same answer for known and unknown users; the code resets the password once', async () => {
    const { db, pool, sent, userId, mailTo } = await setup({ users: [alice] });
    const id = await userId('alice');

    const unknown = await pool.forgotPassword({ identifier: 'nobody@example.com', ip: IP, locale: 'en' });
    expect(unknown).toEqual({ next: { step: 'reset-password', userId: null, identifier: 'nobody@example.com', destination: 'n***@e***.com', forced: false } });
    const unknownName = await pool.forgotPassword({ identifier: 'nobody', ip: IP, locale: 'en' });
    expect(step(unknownName, 'reset-password').userId).toBeNull();

    const known = step(await pool.forgotPassword({ identifier: 'alice@example.com', ip: IP, locale: 'en' }), 'reset-password');
    // The screen shows what was typed, masked, never the account's own address.
    expect(known).toEqual({ step: 'reset-password', userId: id, identifier: 'alice@example.com', destination: 'a***@e***.com', forced: false });

    const mail = await mailTo('Alice@Example.com');
    expect(sent).toHaveLength(1); // only the real account got mail
    const code = codeIn(mail);
    // The unknown names cost an outbox write each (so the answer takes as long): decoys, sealed,
    // never delivered, and swept like delivered mail.
    const rows = await db.kysely.selectFrom('messages').select(['status', 'payload']).orderBy('id').execute();
    expect(rows.map((r) => r.status)).toEqual(['decoy', 'decoy', 'delivered']);
    expect(rows[0].payload).toBeTruthy();
    expect(rows[0].payload).not.toContain('nobody');
    expect(await sweepMessages(db.kysely, START + 1)).toBe(3);

    // The unknown step cannot reset anything.
    expect(await pool.resetPassword({ step: step(unknown, 'reset-password'), code, password: OTHER_GOOD, locale: 'en' })).toMatchObject({
      error: 'invalid_code',
    });

    // A weak password is refused before the code is looked at, so the code survives it.
    expect(await pool.resetPassword({ step: known, code, password: 'passwordpassword', locale: 'en' })).toMatchObject({ error: 'password_common' });
    expect(await pool.resetPassword({ step: known, code, password: 'short', locale: 'en' })).toMatchObject({ error: 'password_too_short' });

    expect(await pool.resetPassword({ step: known, code, password: OTHER_GOOD, locale: 'en' })).toEqual({ next: { step: 'sign-in' } });
    expect(await pool.resetPassword({ step: known, code, password: 'yet another fine passphrase', locale: 'en' })).toMatchObject({
      error: 'invalid_code',
    });

    expect(await pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' })).toEqual({ error: 'invalid_credentials' });
    expect(await pool.signIn({ identifier: 'alice', password: OTHER_GOOD, ip: IP, locale: 'en' })).toEqual({ done: { userId: id, amr: ['pwd'] } });

    const changed = await mailTo('Alice@Example.com', 2);
    expect(changed.subject).toBe('Your Foyer password was changed');
  });

  it('a reset confirms an UNCONFIRMED user and verifies the e-mail', async () => {
    const { pool, sent, mailTo } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account');
    const r = step(await pool.forgotPassword({ identifier: 'newcomer', ip: IP, locale: 'en' }), 'reset-password');
    expect(r.userId).toBe(s.userId);
    const code = codeIn(await mailTo('newcomer@example.com', 2));
    expect(sent[1].subject).toContain('password reset code');
    expect(await pool.resetPassword({ step: r, code, password: OTHER_GOOD, locale: 'en' })).toEqual({ next: { step: 'sign-in' } });
    expect(await pool.users.get({ id: s.userId! })).toMatchObject({ status: 'CONFIRMED', emailVerified: true });
  });

  it('mail speaks the language the account signed up in, whatever page later asks', async () => {
    const { pool, mailTo, userId } = await setup({ users: [alice] });
    step(await pool.signUp(signUpInput({ locale: 'de' })), 'confirm-account');
    const id = await userId('newcomer');
    expect((await pool.users.claims({ id }))?.locale).toBe('de');
    // A reset asked for from an English page: in German.
    await mailTo('newcomer@example.com', 1);
    step(await pool.forgotPassword({ identifier: 'newcomer', ip: IP, locale: 'en' }), 'reset-password');
    const reset = await mailTo('newcomer@example.com', 2);
    expect(reset.subject).toMatch(/Passwort/);
    // An account with no stored language gets the page's.
    step(await pool.forgotPassword({ identifier: 'alice', ip: IP, locale: 'fr' }), 'reset-password');
    expect((await mailTo('Alice@Example.com')).subject).toMatch(/mot de passe/i);
  });

  it('a reset clears an account lock', async () => {
    const { pool, mailTo } = await setup({ pool: { lockout: { free_failures: 4, base_seconds: 60, max_seconds: 900 } }, users: [alice] });
    for (let i = 1; i <= 5; i++) await pool.signIn({ identifier: 'alice', password: 'not the password at all', ip: IP, locale: 'en' });
    expect(await pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' })).toMatchObject({ error: 'locked_out' });
    const r = step(await pool.forgotPassword({ identifier: 'alice', ip: IP, locale: 'en' }), 'reset-password');
    const code = codeIn(await mailTo('Alice@Example.com'));
    expect(await pool.resetPassword({ step: r, code, password: OTHER_GOOD, locale: 'en' })).toEqual({ next: { step: 'sign-in' } });
    expect(await pool.signIn({ identifier: 'alice', password: OTHER_GOOD, ip: IP, locale: 'en' })).toMatchObject({ done: {} });
  });

  // ---------------------------------------------------------------- resend limits

  it('resendCode keeps a 30 s gap between sends and replaces the code', async () => {
    const { pool, sent, clock } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account');
    expect(await pool.resendCode({ uid: 'flow-1', step: s, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    expect(sent).toHaveLength(2);
    const second = await pool.resendCode({ uid: 'flow-1', step: s, locale: 'en', ip: '127.0.0.1' });
    expect(second).toMatchObject({ error: 'rate_limited' });
    expect((second as PoolError).retryAfter).toBeGreaterThan(0);
    expect((second as PoolError).retryAfter).toBeLessThanOrEqual(30);
    expect(sent).toHaveLength(2);

    clock.advance(31_000);
    expect(await pool.resendCode({ uid: 'flow-1', step: s, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    expect(sent).toHaveLength(3);
    const latest = codeIn(sent[2]);
    for (const old of [codeIn(sent[0]), codeIn(sent[1])]) {
      if (old !== latest) expect(await pool.confirmAccount({ step: s, code: old, locale: 'en', ip: IP })).toMatchObject({ error: 'invalid_code' });
    }
    expect(await pool.confirmAccount({ step: s, code: latest, locale: 'en', ip: IP })).toMatchObject({ done: { userId: s.userId } });
  });

  it('resendCode for the anti-enumeration step pretends to send', async () => {
    const { pool, sent } = await setup();
    expect(await pool.resendCode({ uid: 'flow-1', step: { step: 'confirm-account', userId: null, destination: null }, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    expect(sent).toHaveLength(0);
  });

  it('the pause between resends is the same with or without an account behind the step', async () => {
    const { pool, sent } = await setup({ users: [alice] });
    const ghost = step(await pool.forgotPassword({ identifier: 'ghost@example.com', ip: IP, locale: 'en' }), 'reset-password');
    const real = step(await pool.forgotPassword({ identifier: 'alice@example.com', ip: IP, locale: 'en' }), 'reset-password');
    for (const [uid, s] of [['f-ghost', ghost], ['f-real', real]] as const) {
      expect(await pool.resendCode({ uid: uid, step: s, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
      expect(await pool.resendCode({ uid: uid, step: s, locale: 'en', ip: '127.0.0.1' })).toMatchObject({ error: 'rate_limited' });
    }
    // Both refuse a password containing what was typed, whether or not it names an account.
    for (const s of [ghost, real]) {
      expect(await pool.resetPassword({ step: s, code: '000000', password: `${s.identifier} is my password`, locale: 'en' })).toMatchObject({
        error: 'password_contains_username',
      });
    }
    expect(sent.every((m) => m.to === 'Alice@Example.com')).toBe(true);
  });

  it('at most five codes per user in 15 minutes', async () => {
    const { pool, sent, outbox, clock } = await setup();
    const s = step(await pool.signUp(signUpInput()), 'confirm-account'); // send 1
    for (let i = 2; i <= 5; i++) {
      clock.advance(31_000);
      expect(await pool.resendCode({ uid: 'flow-1', step: s, locale: 'en', ip: '127.0.0.1' }), `send ${i}`).toEqual({ sent: true });
    }
    clock.advance(31_000);
    // Past the quota nothing is sent, and the answer does not say so (an unknown account's wouldn't).
    expect(await pool.resendCode({ uid: 'flow-1', step: s, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    await outbox.deliver();
    expect(sent).toHaveLength(5);
  });

  // ---------------------------------------------------------------- flow state

  it('flow state round-trips, expires, and defaults to sign-in', async () => {
    const { pool, clock } = await setup();
    expect(await pool.flow.current({ uid: 'unknown-uid' })).toEqual({ step: 'sign-in' });

    const s: FlowStep = { step: 'reset-password', userId: 'u-1', identifier: 'a', destination: 'a***@e***.com', forced: true };
    await pool.flow.save({ uid: 'uid-1', step: s });
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(s);

    const s2: FlowStep = { step: 'new-password', userId: 'u-1' };
    await pool.flow.save({ uid: 'uid-1', step: s2 });
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(s2);
    expect(await pool.flow.current({ uid: 'uid-2' })).toEqual({ step: 'sign-in' });

    await pool.flow.save({ uid: 'uid-1', step: { step: 'sign-in' } });
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual({ step: 'sign-in' });

    await pool.flow.save({ uid: 'uid-3', step: s });
    clock.advance(60 * 60_000);
    expect(await pool.flow.current({ uid: 'uid-3' })).toEqual({ step: 'sign-in' });

    await pool.flow.save({ uid: 'uid-4', step: s });
    await pool.flow.end({ uid: 'uid-4' });
    expect(await pool.flow.current({ uid: 'uid-4' })).toEqual({ step: 'sign-in' });
  });

  // ---------------------------------------------------------------- claims

  it('claims carry sub, cognito:username, email, groups by precedence and custom attributes', async () => {
    const { pool, userId } = await setup({
      pool: { custom_attributes: [{ name: 'custom:plan' }] },
      groups: [
        { name: 'staff', precedence: 5 },
        { name: 'admins', description: 'Pool administrators', precedence: 0 },
        { name: 'unused' },
      ],
      users: [
        { ...alice, attributes: { 'custom:plan': 'gold', name: 'Alice Liddell' }, groups: ['staff', 'admins'] },
        { username: 'bob', password: GOOD },
      ],
    });
    const id = await userId('alice');
    const claims = await pool.users.claims({ id });
    expect(claims).toEqual({
      sub: id,
      'cognito:username': 'Alice',
      'cognito:groups': ['admins', 'staff'],
      email: 'Alice@Example.com',
      email_verified: true,
      'custom:plan': 'gold',
      name: 'Alice Liddell',
      updated_at: Math.floor(START / 1000),
    });

    const bob = await pool.users.claims({ id: await userId('bob') });
    expect(bob).toMatchObject({ 'cognito:username': 'bob', 'cognito:groups': [] });
    expect(bob).not.toHaveProperty('email');
    expect(await pool.users.claims({ id: '00000000-0000-0000-0000-000000000000' })).toBeUndefined();

    expect((await pool.scopeClaims()).openid).toContain('custom:plan');
  });

  it('email_verified is false in claims until the account is confirmed', async () => {
    const { pool, sent } = await setup();
    const s = step(await pool.signUp(signUpInput({ attributes: { 'custom:plan': 'free' } })), 'confirm-account');
    expect(await pool.users.claims({ id: s.userId! })).toMatchObject({ email_verified: false, 'custom:plan': 'free' });
    await pool.confirmAccount({ step: s, code: codeIn(sent[0]), locale: 'en', ip: IP });
    expect(await pool.users.claims({ id: s.userId! })).toMatchObject({ email_verified: true });
  });
});
