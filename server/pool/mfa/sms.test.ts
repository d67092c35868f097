import { Secret, TOTP } from 'otpauth';
import { expect, it } from 'vitest';
import { parseSeed } from '../../config/seed';
import type { SmsSender } from '../../sms/sender';
import { describeEachDb } from '../../testing/databases';
import { testOutbox } from '../../testing/outbox';
import { createPool, type FlowOutcome, type FlowStep, type PoolError } from '../index';
import { applySeedIfEmpty } from '../../pool-config/apply';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const PASSWORD = 'violet tractor under seven lanterns';
const IP = '203.0.113.9';
const PHONE = '+447700900123';

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;
function step<K extends FlowStep['step']>(r: FlowOutcome | PoolError, k: K): Step<K> {
  if (!('next' in r) || r.next.step !== k) throw new Error(`expected step ${k}, got ${JSON.stringify(r)}`);
  return r.next as Step<K>;
}

describeEachDb('second factor (SMS)', (open) => {
  type UserSeed = { username: string; email?: string; email_verified?: boolean; phone_number?: string; phone_number_verified?: boolean };
  async function setup(opts: { factors?: ('totp' | 'email' | 'sms')[]; mode?: 'OPTIONAL' | 'REQUIRED'; limits?: Record<string, number>; users?: UserSeed[]; aliases?: string[]; sender?: SmsSender } = {}) {
    const db = await open();
    let t = START;
    const users = opts.users ?? [{ username: 'alice', email: 'alice@example.com', email_verified: true, phone_number: PHONE, phone_number_verified: true }];
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: {
          name: 'Acme',
          mfa: { mode: opts.mode ?? 'REQUIRED', factors: opts.factors ?? ['sms'] },
          rate_limits: opts.limits ?? {},
          ...(opts.aliases ? { sign_in_aliases: opts.aliases } : {}),
        },
        users: users.map((u) => ({ password: PASSWORD, ...u })),
      }),
      t,
    );
    const outbox = testOutbox(db.kysely, { now: () => t, sms: opts.sender });
    const { texts, deliver } = outbox;
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => t });
    const signIn = (username = 'alice', ip = IP, locale = 'en') => pool.signIn({ identifier: username, password: PASSWORD, ip, locale });
    /** The code in the newest text (to `to`, if given). */
    const lastCode = async (to?: string) => {
      await deliver();
      const text = [...texts].reverse().find((m) => !to || m.to === to);
      return /\b(\d{6})\b/.exec(text?.body ?? '')?.[1] ?? '';
    };
    const userId = async (username = 'alice') => (await db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    return { db, pool, signIn, texts, deliver, lastCode, userId, advance: (ms: number) => (t += ms) };
  }

  it('a verified phone is a factor: a code texted for this attempt, 5 minutes, once; tokens say sms', async () => {
    const { pool, signIn, texts, lastCode } = await setup();
    const first = step(await signIn(), 'mfa');
    expect(first).toMatchObject({ methods: ['sms'], method: 'sms', smsDestination: '+44 •••• ••23' });
    const code1 = await lastCode();
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ to: PHONE, purpose: 'mfa' });
    expect(texts[0].body).toBe(`${code1} is your Acme sign-in code. It expires in 5 minutes. Do not share it.`);

    // Bound to the attempt: a second sign-in's code does not finish the first, nor the reverse.
    const second = step(await signIn(), 'mfa');
    const code2 = await lastCode();
    if (code1 !== code2) {
      expect(await pool.mfa.answerCode({ step: first, code: code2 })).toMatchObject({ error: 'invalid_code' });
      expect(await pool.mfa.answerCode({ step: second, code: code1 })).toMatchObject({ error: 'invalid_code' });
    }
    expect(await pool.mfa.answerCode({ step: first, code: code1 })).toEqual({ done: { userId: first.userId, amr: ['pwd', 'sms', 'mfa'] } });
    // Single use.
    expect(await pool.mfa.answerCode({ step: first, code: code1 })).toMatchObject({ error: 'invalid_code' });
  });

  it('a texted code expires after 5 minutes', async () => {
    const { pool, signIn, lastCode, advance } = await setup();
    const mfa = step(await signIn(), 'mfa');
    const code = await lastCode();
    advance(5 * 60_000 + 1);
    expect(await pool.mfa.answerCode({ step: mfa, code })).toMatchObject({ error: 'invalid_code' });
    // Just inside the five minutes, a fresh code works.
    const again = step(await signIn(), 'mfa');
    const fresh = await lastCode();
    advance(5 * 60_000 - 1_000);
    expect(await pool.mfa.answerCode({ step: again, code: fresh })).toMatchObject({ done: { amr: ['pwd', 'sms', 'mfa'] } });
  });

  it('an unverified number is no factor; a verified one is, once turned on in an optional pool; the text goes out in the reader’s language', async () => {
    const { pool, signIn, texts, lastCode } = await setup({
      factors: ['sms', 'totp'],
      mode: 'OPTIONAL',
      users: [
        { username: 'alice', phone_number: PHONE, phone_number_verified: true },
        { username: 'bob', phone_number: '+447700900999', phone_number_verified: false },
      ],
    });
    expect(await signIn('bob')).toMatchObject({ done: { amr: ['pwd'] } });
    expect(await signIn('alice')).toMatchObject({ done: { amr: ['pwd'] } });
    const alice = await pool.ctx.db.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow();
    expect(await pool.account.setCodesOptIn({ userId: alice.id, kind: 'sms', on: true, locale: 'en' })).toEqual({ done: true });
    const mfa = step(await signIn('alice', IP, 'ar'), 'mfa');
    const code = await lastCode();
    expect(texts.at(-1)!.body).toContain('هو رمز تسجيل الدخول إلى Acme');
    expect(await pool.mfa.answerCode({ step: mfa, code })).toMatchObject({ done: {} });
  });

  it('a new code needs the resend gap; it replaces the earlier one', async () => {
    const { pool, signIn, texts, deliver, lastCode, advance } = await setup();
    const mfa = step(await signIn(), 'mfa');
    const first = await lastCode();
    expect(await pool.mfa.resend({ uid: 'flow-1', step: mfa, locale: 'en', ip: IP })).toEqual({ sent: true });
    const second = await lastCode();
    expect(texts).toHaveLength(2);
    const refused = await pool.mfa.resend({ uid: 'flow-1', step: mfa, locale: 'en', ip: IP });
    expect(refused).toMatchObject({ error: 'rate_limited' });
    expect((refused as PoolError).retryAfter).toBeGreaterThan(0);
    await deliver();
    expect(texts).toHaveLength(2);
    advance(30_000);
    expect(await pool.mfa.resend({ uid: 'flow-1', step: mfa, locale: 'en', ip: IP })).toEqual({ sent: true });
    const third = await lastCode();
    if (first !== third) expect(await pool.mfa.answerCode({ step: mfa, code: first })).toMatchObject({ error: 'invalid_code' });
    if (second !== third) expect(await pool.mfa.answerCode({ step: mfa, code: second })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.mfa.answerCode({ step: mfa, code: third })).toMatchObject({ done: { amr: ['pwd', 'sms', 'mfa'] } });
  });

  it('per number: texts to one number stop at the limit, whoever asks, and the refusal says nothing of whose it is', async () => {
    const { signIn, texts, deliver } = await setup({
      limits: { sms_per_number_per_hour: 2 },
      users: [
        { username: 'alice', phone_number: PHONE, phone_number_verified: true },
        { username: 'bob', phone_number: PHONE, phone_number_verified: true },
      ],
    });
    step(await signIn('alice', '198.51.100.1'), 'mfa');
    step(await signIn('alice', '198.51.100.2'), 'mfa');
    const refused = await signIn('bob', '198.51.100.3');
    expect(refused).toEqual({ error: 'rate_limited', retryAfter: expect.any(Number) });
    await deliver();
    expect(texts.map((m) => m.to)).toEqual([PHONE, PHONE]);
  });

  it('per client address: one address cannot text many numbers', async () => {
    const users = [1, 2, 3].map((i) => ({ username: `u${i}`, phone_number: `+4477009001${i}0`, phone_number_verified: true }));
    const { signIn, texts, deliver } = await setup({ limits: { sms_per_ip_per_hour: 2 }, users });
    step(await signIn('u1', IP), 'mfa');
    step(await signIn('u2', IP), 'mfa');
    expect(await signIn('u3', IP)).toMatchObject({ error: 'rate_limited' });
    // The same user from another address is texted.
    step(await signIn('u3', '198.51.100.7'), 'mfa');
    await deliver();
    expect(texts.map((m) => m.to)).toEqual([users[0].phone_number, users[1].phone_number, users[2].phone_number]);
  });

  it('per country calling code: a burst to one country stops, other countries still get texts', async () => {
    const users = [
      { username: 'gb1', phone_number: '+447700900111', phone_number_verified: true },
      { username: 'gb2', phone_number: '+447700900222', phone_number_verified: true },
      { username: 'gb3', phone_number: '+447700900333', phone_number_verified: true },
      { username: 'fr1', phone_number: '+33612345678', phone_number_verified: true },
    ];
    const { signIn, texts, deliver, advance } = await setup({ limits: { sms_per_country_code_per_hour: 2 }, users });
    step(await signIn('gb1', '198.51.100.1'), 'mfa');
    step(await signIn('gb2', '198.51.100.2'), 'mfa');
    expect(await signIn('gb3', '198.51.100.3')).toMatchObject({ error: 'rate_limited' });
    step(await signIn('fr1', '198.51.100.4'), 'mfa');
    // The window is an hour.
    advance(60 * 60_000);
    step(await signIn('gb3', '198.51.100.3'), 'mfa');
    await deliver();
    expect(texts.map((m) => m.to)).toEqual(['+447700900111', '+447700900222', '+33612345678', '+447700900333']);
  });

  it('a refused text falls back to the user’s other factor; choosing SMS while refused says so', async () => {
    const { pool, signIn, texts, deliver } = await setup({
      factors: ['sms', 'email'],
      limits: { sms_per_number_per_hour: 1 },
      users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, phone_number: PHONE, phone_number_verified: true }],
    });
    const first = step(await signIn(), 'mfa');
    expect(first).toMatchObject({ methods: ['email', 'sms'], method: 'email' });
    const viaSms = step(await pool.mfa.choose({ step: first, method: 'sms', locale: 'en', ip: IP }), 'mfa');
    expect(viaSms.method).toBe('sms');
    expect(await pool.mfa.choose({ step: first, method: 'sms', locale: 'en', ip: IP })).toMatchObject({ error: 'rate_limited' });
    await deliver();
    expect(texts).toHaveLength(1);
  });

  it('a failing SMS provider is not an error: the sign-in still reaches the code screen, and the text waits for a retry', async () => {
    const { db, signIn, deliver } = await setup({ sender: { delivers: true, send: async () => Promise.reject(new Error('the SMS webhook answered HTTP 503')) } });
    step(await signIn(), 'mfa');
    expect(await deliver()).toBe(0);
    const row = await db.kysely.selectFrom('messages').select(['channel', 'status', 'attempts', 'last_error']).executeTakeFirstOrThrow();
    expect(row).toEqual({ channel: 'sms', status: 'pending', attempts: 1, last_error: 'the SMS webhook answered HTTP 503' });
  });

  it('REQUIRED with SMS only: a user without a number enrols one during sign-in, in order', async () => {
    const { pool, signIn, texts, lastCode, userId, db } = await setup({ users: [{ username: 'alice' }] });
    const s = step(await signIn(), 'mfa-setup-sms');
    expect(s).toEqual({ step: 'mfa-setup-sms', userId: await userId(), amr: ['pwd'], phone: null, destination: null });
    // No code step before a number: a later step's action fails.
    expect(await pool.mfa.enrolSms({ step: s, code: '123456' })).toEqual({ error: 'wrong_step' });
    expect(await pool.mfa.resendSetupSms({ uid: 'flow-e', step: s, locale: 'en', ip: IP })).toEqual({ error: 'wrong_step' });

    expect(await pool.mfa.sendSetupSms({ step: s, phone: '07700 900123', locale: 'en', ip: IP })).toEqual({ error: 'invalid_phone', field: 'phone_number' });
    const wrongNumber = step(await pool.mfa.sendSetupSms({ step: s, phone: '+44 (7700) 900-321', locale: 'en', ip: IP }), 'mfa-setup-sms');
    expect(wrongNumber).toMatchObject({ phone: '+447700900321', destination: '+44 •••• ••21' });
    const codeForWrong = await lastCode('+447700900321');
    // Back to the number: a code texted to one number never proves another.
    const back = step(pool.mfa.changeSetupPhone({ step: wrongNumber }), 'mfa-setup-sms');
    expect(back.phone).toBeNull();
    const withCode = step(await pool.mfa.sendSetupSms({ step: back, phone: PHONE, locale: 'en', ip: IP }), 'mfa-setup-sms');
    const code = await lastCode(PHONE);
    expect(texts.at(-1)).toMatchObject({ to: PHONE, purpose: 'verify_phone' });
    expect(texts.at(-1)!.body).toMatch(/^\d{6} is your Acme code to verify this phone number/);
    if (code !== codeForWrong) expect(await pool.mfa.enrolSms({ step: withCode, code: codeForWrong })).toMatchObject({ error: 'invalid_code', field: 'code' });
    expect(await pool.mfa.enrolSms({ step: withCode, code: 'abc' })).toMatchObject({ error: 'invalid_code' });

    // The right code: a verified phone, ten recovery codes once, then the sign-in finishes.
    const shown = step(await pool.mfa.enrolSms({ step: withCode, code }), 'recovery-codes');
    expect(shown.amr).toEqual(['pwd', 'sms', 'mfa']);
    expect(shown.codes).toHaveLength(10);
    await pool.flow.save({ uid: 'shown', step: shown });
    expect(await pool.mfa.acknowledgeRecoveryCodes({ uid: 'shown' })).toEqual({ done: { userId: s.userId, amr: ['pwd', 'sms', 'mfa'] } });
    const row = await db.kysely.selectFrom('users').select(['phone_number', 'phone_number_verified', 'preferred_mfa']).executeTakeFirstOrThrow();
    expect(row).toEqual({ phone_number: PHONE, phone_number_verified: 1, preferred_mfa: 'sms' });
    expect(await pool.mfa.enrolSms({ step: withCode, code })).toMatchObject({ error: 'invalid_code' });

    // From now on the phone is asked for at every sign-in.
    expect(step(await signIn(), 'mfa')).toMatchObject({ methods: ['sms'], method: 'sms' });
  });

  it('enrolment texts obey the same limits, and a code resend waits for the gap', async () => {
    const { pool, signIn, texts, deliver, advance } = await setup({ users: [{ username: 'alice' }], limits: { sms_per_number_per_hour: 2 } });
    const s = step(await signIn(), 'mfa-setup-sms');
    const sent = step(await pool.mfa.sendSetupSms({ step: s, phone: PHONE, locale: 'en', ip: IP }), 'mfa-setup-sms');
    expect(await pool.mfa.resendSetupSms({ uid: 'flow-e', step: sent, locale: 'en', ip: IP })).toEqual({ sent: true });
    expect(await pool.mfa.resendSetupSms({ uid: 'flow-e', step: sent, locale: 'en', ip: IP })).toMatchObject({ error: 'rate_limited' });
    advance(30_000);
    // Past the per-number limit: nothing is sent.
    expect(await pool.mfa.resendSetupSms({ uid: 'flow-e', step: sent, locale: 'en', ip: IP })).toMatchObject({ error: 'rate_limited' });
    await deliver();
    expect(texts).toHaveLength(2);
  });

  it('a user who already holds recovery codes is not shown new ones', async () => {
    const { pool, signIn, lastCode, advance } = await setup({ factors: ['totp', 'sms'], users: [{ username: 'alice' }] });
    const totp = step(await signIn(), 'mfa-setup');
    const now = START;
    const first = new TOTP({ secret: Secret.fromBase32(totp.secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: now });
    step(await pool.mfa.enrolTotp({ step: totp, code: first }), 'recovery-codes');
    advance(60_000);
    // An app now: SMS enrolment is not forced, but it can still be done in a flow step by hand.
    const s = step(await pool.mfa.switchEnrolment({ step: totp, to: 'sms' }), 'mfa-setup-sms');
    const sent = step(await pool.mfa.sendSetupSms({ step: s, phone: PHONE, locale: 'en', ip: IP }), 'mfa-setup-sms');
    expect(await pool.mfa.enrolSms({ step: sent, code: await lastCode() })).toEqual({ done: { userId: s.userId, amr: ['pwd', 'sms', 'mfa'] } });
  });

  it('with both factors allowed, enrolment starts with the app and can switch either way', async () => {
    const { pool, signIn } = await setup({ factors: ['totp', 'sms'], users: [{ username: 'alice' }] });
    const totp = step(await signIn(), 'mfa-setup');
    const sms = step(await pool.mfa.switchEnrolment({ step: totp, to: 'sms' }), 'mfa-setup-sms');
    expect(sms).toMatchObject({ userId: totp.userId, amr: ['pwd'], phone: null });
    const again = step(await pool.mfa.switchEnrolment({ step: sms, to: 'totp' }), 'mfa-setup');
    expect(again.secret).toMatch(/^[A-Z2-7]{32}$/);
  });

  it('with SMS the only factor, there is no switching to an app', async () => {
    const { pool, signIn } = await setup({ factors: ['sms'], users: [{ username: 'alice' }] });
    const s = step(await signIn(), 'mfa-setup-sms');
    expect(await pool.mfa.switchEnrolment({ step: s, to: 'totp' })).toEqual({ error: 'wrong_step' });
  });

  it('phone verification outside sign-in: a code proves one number; a sign-in number stays unique', async () => {
    const { pool, lastCode, userId, db } = await setup({
      mode: 'OPTIONAL',
      aliases: ['username', 'phone_number'],
      users: [{ username: 'alice' }, { username: 'bob', phone_number: '+33612345678', phone_number_verified: true }],
    });
    const alice = await userId('alice');
    expect(await pool.phone.sendVerification({ userId: alice, phone: 'not a number', locale: 'en', ip: IP })).toEqual({ error: 'invalid_phone', field: 'phone_number' });
    expect(await pool.phone.sendVerification({ userId: alice, phone: '+44 7700 900123', locale: 'en', ip: IP })).toEqual({
      sent: true,
      phone: PHONE,
      destination: '+44 •••• ••23',
    });
    const code = await lastCode();
    expect(await pool.phone.confirm({ userId: alice, phone: '+447700900999', code })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.phone.confirm({ userId: alice, phone: PHONE, code })).toEqual({ verified: true, phone: PHONE });
    expect(await pool.phone.confirm({ userId: alice, phone: PHONE, code })).toMatchObject({ error: 'invalid_code' });

    // Bob's verified number is his sign-in name: Alice, proving she holds it, learns it is taken.
    expect(await pool.phone.sendVerification({ userId: alice, phone: '+33612345678', locale: 'en', ip: IP })).toMatchObject({ sent: true });
    expect(await pool.phone.confirm({ userId: alice, phone: '+33612345678', code: await lastCode() })).toEqual({ error: 'phone_taken', field: 'phone_number' });
    const phones = await db.kysely.selectFrom('users').select(['username', 'phone_number', 'phone_number_verified']).orderBy('username').execute();
    expect(phones).toEqual([
      { username: 'alice', phone_number: PHONE, phone_number_verified: 1 },
      { username: 'bob', phone_number: '+33612345678', phone_number_verified: 1 },
    ]);
  });
});
