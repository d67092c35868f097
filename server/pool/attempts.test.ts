/**
 * The shared attempt path (attempts.ts) and every secret checked through it, on SQLite and
 * PostgreSQL: reservations hold under concurrent guesses, codes are counted across resends, and a
 * reset for an unknown account answers step by step like one for a real account.
 */
import { Secret, TOTP } from 'otpauth';
import { expect, it, vi } from 'vitest';
import { parseSeed } from '../config/seed';
import type { OutgoingMail } from '../mail/mailer';
import { applySeedIfEmpty } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { attempt, lockSeconds, type Attempt } from './attempts';
import type { PoolError } from './errors';
import { createPool, type FlowOutcome, type FlowStep } from './index';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const GOOD = 'violet tractor under seven lanterns';
const OTHER = 'amber kettles hum beneath quiet bridges';
const IP = '203.0.113.7';
const LOCKOUT = { free_failures: 4, base_seconds: 60, max_seconds: 900 };
const alice = { username: 'alice', email: 'alice@example.com', email_verified: true, password: GOOD };

function step<K extends FlowStep['step']>(r: FlowOutcome | PoolError | { sent: true }, k: K): Extract<FlowStep, { step: K }> {
  if (!('next' in r) || r.next.step !== k) throw new Error(`expected step ${k}, got ${JSON.stringify(r)}`);
  return r.next as Extract<FlowStep, { step: K }>;
}
const codeIn = (m: OutgoingMail | undefined) => {
  const c = m?.text.match(/\b(\d{6})\b/)?.[1];
  if (!c) throw new Error(`no code in ${JSON.stringify(m)}`);
  return c;
};
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const totpAt = (secret: string, at: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

/**
 * Real verifications (argon2, TOTP), observed: a test may hold each one until every guess of a
 * burst has arrived, so guesses are concurrent by construction rather than by luck.
 */
const held = vi.hoisted(() => ({
  verifications: 0,
  onVerify: null as null | (() => Promise<void>),
  async observe<T>(verify: () => Promise<T>): Promise<T> {
    held.verifications++;
    await held.onVerify?.();
    return verify();
  },
}));
vi.mock('./passwords/hash', async (importOriginal) => {
  const real = await importOriginal<typeof import('./passwords/hash')>();
  return { ...real, verifyPassword: (hash: string, password: string) => held.observe(() => real.verifyPassword(hash, password)) };
});
vi.mock('./mfa/totp', async (importOriginal) => {
  const real = await importOriginal<typeof import('./mfa/totp')>();
  return { ...real, verifyTotp: (...a: Parameters<typeof real.verifyTotp>) => held.observe(() => real.verifyTotp(...a)) };
});

/** Resolves once `n` calls have arrived: concurrent guesses wait on it, never on a guessed time. */
function barrier(n: number) {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { arrive: () => void (++arrived === n && open()), opened };
}

/**
 * 30 wrong guesses at once, each verification held until all 31 guesses have arrived (been
 * refused or begun verifying); the right one is sent once a wrong one is being verified.
 */
async function burst<R>(wrong: () => Promise<R>, right: () => Promise<R>): Promise<{ wrong: R[]; right: R; verified: number }> {
  held.verifications = 0;
  const all = barrier(31);
  let entered!: () => void;
  const verifying = new Promise<void>((r) => (entered = r));
  held.onVerify = async () => {
    entered();
    all.arrive();
    await all.opened;
  };
  // A guess that comes back before the barrier opened was refused unverified: it has arrived.
  const arrived = <T>(p: Promise<T>) => p.then((r) => (all.arrive(), r));
  try {
    const wrongs = Array.from({ length: 30 }, () => arrived(wrong()));
    await verifying;
    const r = await arrived(right());
    return { wrong: await Promise.all(wrongs), right: r, verified: held.verifications };
  } finally {
    held.onVerify = null;
  }
}

describeEachDb('attempts', (open) => {
  async function setup(pool: Record<string, unknown> = {}, users: Record<string, unknown>[] = [alice]) {
    const db = await open();
    let t = START;
    const now = () => t;
    await applySeedIfEmpty(db, parseSeed({ pool: { lockout: LOCKOUT, ...pool }, users }), t);
    const outbox = testOutbox(db.kysely, { now });
    const p = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now });
    const failures = async (key: string) => (await db.kysely.selectFrom('lockouts').select('failures').where('key', '=', key).executeTakeFirst())?.failures;
    const userId = async (name: string) => (await db.kysely.selectFrom('users').select('id').where('username_lower', '=', name).executeTakeFirstOrThrow()).id;
    const mailsTo = async (to: string) => {
      await outbox.deliver();
      return outbox.mails.filter((m) => m.to === to);
    };
    return { db, pool: p, ctx: p.ctx, advance: (ms: number) => (t += ms), now, failures, userId, mailsTo };
  }

  /** Fails until the key is locked (free failures, then one more). */
  async function lock(ctx: Awaited<ReturnType<typeof setup>>['ctx'], key: string) {
    for (let i = 0; i <= LOCKOUT.free_failures; i++) await attempt(ctx, key, async () => false);
  }

  it('keeps the curve: free failures, then base × 2^n up to the cap', () => {
    expect([1, 4, 5, 6, 7, 8, 9, 40].map((n) => lockSeconds(LOCKOUT, n))).toEqual([0, 0, 60, 120, 240, 480, 900, 900]);
  });

  it('after a lock expires, a right secret sent while a wrong one is being verified is refused, and only one of 31 is verified', async () => {
    const { ctx, advance, failures } = await setup();
    const key = 'user:burst';
    await lock(ctx, key);
    advance(LOCKOUT.base_seconds * 1000);
    let verified = 0;
    const all = barrier(31);
    let entered!: () => void;
    const firstVerifying = new Promise<void>((r) => (entered = r));
    const guess = (right: boolean) =>
      attempt(ctx, key, async () => {
        verified++;
        entered();
        all.arrive();
        await all.opened; // a slow verification: every other guess arrives meanwhile
        return right;
      }).then((r) => {
        if ('error' in r) all.arrive();
        return r;
      });
    const wrong = Array.from({ length: 30 }, () => guess(false));
    await firstVerifying;
    const right = await guess(true);
    const results: (Attempt | PoolError)[] = [...(await Promise.all(wrong)), right];
    expect(right).toEqual({ error: 'locked_out', retryAfter: 120 });
    expect(verified).toBe(1);
    expect(results.filter((r) => !('error' in r))).toEqual([{ passed: false, lockSeconds: 120 }]);
    expect(await failures(key)).toBe(LOCKOUT.free_failures + 2);
  });

  it('a burst on a fresh key verifies only the free failures and the one that sets the lock', async () => {
    const { ctx, failures } = await setup();
    let verified = 0;
    const results = await Promise.all(Array.from({ length: 31 }, () => attempt(ctx, 'name:fresh', async () => (verified++, false))));
    expect(verified).toBe(LOCKOUT.free_failures + 1);
    expect(results.filter((r) => 'error' in r)).toHaveLength(31 - verified);
    expect(await failures('name:fresh')).toBe(LOCKOUT.free_failures + 1);
  });

  it('password sign-in: after a lock expired, 30 wrong and the right password at once: one verified, the right one refused', async () => {
    const { pool, advance, failures, userId } = await setup();
    const key = `user:${await userId('alice')}`;
    const signIn = (password: string) => pool.signIn({ identifier: 'alice', password, ip: IP, locale: 'en' });
    for (let i = 0; i <= LOCKOUT.free_failures; i++) await signIn(OTHER);
    expect(await signIn(GOOD)).toMatchObject({ error: 'locked_out' });
    advance(LOCKOUT.base_seconds * 1000);
    const b = await burst(() => signIn(OTHER), () => signIn(GOOD));
    expect(b.right).toEqual({ error: 'locked_out', retryAfter: 120 });
    expect(b.verified).toBe(1);
    expect(b.wrong.every((r) => 'error' in r && r.error === 'locked_out')).toBe(true);
    expect(await failures(key)).toBe(LOCKOUT.free_failures + 2);
  });

  it('TOTP at the second factor: after a lock expired, a burst verifies one guess and refuses the right code', async () => {
    const { pool, advance, now, failures, userId } = await setup({ mfa: { mode: 'REQUIRED', factors: ['totp'] } });
    const signIn = () => pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' });
    const s = step(await signIn(), 'mfa-setup');
    step(await pool.mfa.enrolTotp({ step: s, code: totpAt(s.secret, now()) }), 'recovery-codes');
    const mfa = step(await signIn(), 'mfa');
    for (let i = 0; i <= LOCKOUT.free_failures; i++) await pool.mfa.answerCode({ step: mfa, code: '000000' });
    advance(LOCKOUT.base_seconds * 1000);
    const b = await burst(() => pool.mfa.answerCode({ step: mfa, code: '000000' }), () => pool.mfa.answerCode({ step: mfa, code: totpAt(s.secret, now() + 30_000) }));
    expect(b.right).toEqual({ error: 'locked_out', retryAfter: 120 });
    expect(b.verified).toBe(1);
    expect(b.wrong.every((r) => 'error' in r && r.error === 'locked_out')).toBe(true);
    expect(await failures(`mfa:${await userId('alice')}`)).toBe(LOCKOUT.free_failures + 2);
  });

  it('e-mailed second-factor codes are counted across resends', async () => {
    const { pool, advance, mailsTo } = await setup({ mfa: { mode: 'REQUIRED', factors: ['email'] } });
    const mfa = step(await pool.signIn({ identifier: 'alice', password: GOOD, ip: IP, locale: 'en' }), 'mfa');
    const first = codeIn((await mailsTo('alice@example.com')).at(-1));
    for (let i = 0; i < LOCKOUT.free_failures; i++) expect(await pool.mfa.answerCode({ step: mfa, code: otherCode(first) })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.mfa.resend({ uid: 'flow-1', step: mfa, locale: 'en', ip: IP })).toEqual({ sent: true });
    const fresh = codeIn((await mailsTo('alice@example.com')).at(-1));
    // The new code brings no fresh tries: the next wrong one locks.
    expect(await pool.mfa.answerCode({ step: mfa, code: otherCode(fresh) })).toEqual({ error: 'locked_out', retryAfter: 60 });
    expect(await pool.mfa.answerCode({ step: mfa, code: fresh })).toMatchObject({ error: 'locked_out' });
    advance(60_000);
    expect(await pool.mfa.answerCode({ step: mfa, code: fresh })).toMatchObject({ done: { amr: ['pwd', 'otp', 'mfa'] } });
  });

  it('sign-up confirmation codes are counted across resends, with the passwords\' back-off', async () => {
    const { pool, advance, mailsTo } = await setup({}, []);
    const email = 'newcomer@example.com';
    const s = step(
      await pool.signUp({ username: 'newcomer', email, phoneNumber: null, password: GOOD, attributes: {}, ip: IP, locale: 'en' }),
      'confirm-account',
    );
    const first = codeIn((await mailsTo(email))[0]);
    for (let i = 0; i < LOCKOUT.free_failures; i++) expect(await pool.confirmAccount({ step: s, code: otherCode(first), locale: 'en', ip: IP })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.resendCode({ uid: 'flow-1', step: s, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    const fresh = codeIn((await mailsTo(email))[1]);
    expect(await pool.confirmAccount({ step: s, code: otherCode(fresh), locale: 'en', ip: IP })).toEqual({ error: 'locked_out', retryAfter: 60, field: 'code' });
    expect(await pool.confirmAccount({ step: s, code: fresh, locale: 'en', ip: IP })).toMatchObject({ error: 'locked_out', retryAfter: 60 });
    advance(60_000);
    expect(await pool.confirmAccount({ step: s, code: otherCode(fresh), locale: 'en', ip: IP })).toEqual({ error: 'locked_out', retryAfter: 120, field: 'code' });
    advance(120_000);
    expect(await pool.confirmAccount({ step: s, code: fresh, locale: 'en', ip: IP })).toMatchObject({ done: { userId: s.userId } });
  });

  it('reset codes: a burst of 30 wrong and the right code after a lock expired evaluates one', async () => {
    const { pool, advance, failures, userId, mailsTo } = await setup();
    const r = step(await pool.forgotPassword({ identifier: 'alice', ip: IP, locale: 'en' }), 'reset-password');
    const code = codeIn((await mailsTo('alice@example.com'))[0]);
    const reset = (c: string) => pool.resetPassword({ step: r, code: c, password: OTHER, locale: 'en' });
    const key = `code:reset_password:user:${await userId('alice')}`;
    for (let i = 0; i < LOCKOUT.free_failures; i++) await reset(otherCode(code));
    expect(await failures(key)).toBe(LOCKOUT.free_failures);
    // A resend (a fresh code with five tries of its own) gives no fresh tries on the account.
    advance(31_000);
    expect(await pool.resendCode({ uid: 'flow-r', step: r, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    const fresh = codeIn((await mailsTo('alice@example.com'))[1]);
    expect(await reset(otherCode(fresh))).toEqual({ error: 'locked_out', retryAfter: 60, field: 'code' });
    advance(60_000);
    const results = await Promise.all([...Array.from({ length: 30 }, () => reset(otherCode(fresh))), reset(fresh)]);
    const right = results[30];
    if ('next' in right) expect(results.slice(0, 30).every((x) => 'error' in x && x.error === 'locked_out')).toBe(true);
    else expect(await failures(key)).toBe(LOCKOUT.free_failures + 2);
  });

  it('the reset screen answers an unknown account exactly like a known one, step by step', async () => {
    // The default lock curve (1 s, doubling), as a deployment has it.
    const { pool, advance, mailsTo } = await setup({ lockout: { free_failures: 4, base_seconds: 1, max_seconds: 900 } });
    const known = step(await pool.forgotPassword({ identifier: 'alice@example.com', ip: IP, locale: 'en' }), 'reset-password');
    const ghost = step(await pool.forgotPassword({ identifier: 'ghost@example.com', ip: IP, locale: 'en' }), 'reset-password');
    expect(ghost).toEqual({ ...known, userId: null, identifier: 'ghost@example.com', destination: 'g***@e***.com' });
    let latest = codeIn((await mailsTo('alice@example.com')).at(-1));
    const both = async () => {
      const wrong = otherCode(latest);
      return [
        await pool.resetPassword({ step: known, code: wrong, password: OTHER, locale: 'en' }),
        await pool.resetPassword({ step: ghost, code: wrong, password: OTHER, locale: 'en' }),
      ];
    };
    const answers: unknown[][] = [];
    for (let i = 0; i < 6; i++) answers.push(await both());
    for (const [k, g] of answers) expect(g).toEqual(k);
    expect(answers.map(([k]) => (k as PoolError).error)).toEqual([
      'invalid_code', 'invalid_code', 'invalid_code', 'invalid_code', 'too_many_attempts', 'too_many_attempts',
    ]);
    // A resend: the same answer, and the next wrong code meets the same lock.
    advance(31_000);
    expect(await pool.resendCode({ uid: 'flow-known', step: known, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    expect(await pool.resendCode({ uid: 'flow-ghost', step: ghost, locale: 'en', ip: '127.0.0.1' })).toEqual({ sent: true });
    latest = codeIn((await mailsTo('alice@example.com')).at(-1));
    const [k, g] = await both();
    expect(k).toEqual({ error: 'locked_out', retryAfter: 2, field: 'code' });
    expect(g).toEqual(k);
    // Past the code's lifetime both say "expired".
    advance(10 * 60_000);
    const [ke, ge] = await both();
    expect(ke).toEqual({ error: 'expired_code', field: 'code' });
    expect(ge).toEqual(ke);
    // Nothing was ever mailed for the unknown name.
    expect(await mailsTo('ghost@example.com')).toEqual([]);
  });
});
