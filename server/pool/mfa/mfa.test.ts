import { Secret, TOTP } from 'otpauth';
import { expect, it } from 'vitest';
import { parseSeed } from '../../config/seed';
import { describeEachDb } from '../../testing/databases';
import { testOutbox } from '../../testing/outbox';
import { createPool, type FlowOutcome, type FlowStep, type PoolError } from '../index';
import { applySeedIfEmpty } from '../../pool-config/apply';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const PASSWORD = 'violet tractor under seven lanterns';
const IP = '203.0.113.9';

const codeAt = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

function step<K extends FlowStep['step']>(r: FlowOutcome | PoolError, k: K): Extract<FlowStep, { step: K }> {
  if (!('next' in r) || r.next.step !== k) throw new Error(`expected step ${k}, got ${JSON.stringify(r)}`);
  return r.next as Extract<FlowStep, { step: K }>;
}

describeEachDb('second factor (TOTP)', (open) => {
  async function setup(mode: 'OFF' | 'OPTIONAL' | 'REQUIRED', factors: ('totp' | 'email')[] = ['totp'], rememberDays = 0) {
    const db = await open();
    let t = START;
    await applySeedIfEmpty(
      db,
      parseSeed({ pool: { mfa: { mode, factors, remember_device_days: rememberDays } }, users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD }] }),
      t,
    );
    const mails: string[] = [];
    const outbox = testOutbox(db.kysely, { now: () => t, email: { delivers: true, send: async (m) => void mails.push(m.text) } });
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => t });
    const signIn = (password = PASSWORD, device?: string) => pool.signIn({ identifier: 'alice', password, ip: IP, locale: 'en', device });
    return { db, pool, signIn, mails, deliver: outbox.deliver, advance: (ms: number) => (t += ms), now: () => t };
  }

  it('OFF: a password alone finishes the sign-in', async () => {
    const { signIn } = await setup('OFF');
    expect(await signIn()).toMatchObject({ done: { amr: ['pwd'] } });
  });

  it('OPTIONAL: a user without a factor is not asked for one', async () => {
    const { signIn } = await setup('OPTIONAL');
    expect(await signIn()).toMatchObject({ done: { amr: ['pwd'] } });
  });

  it('REQUIRED: enrolment before any token, then every sign-in asks for a code, each code once', async () => {
    const { db, pool, signIn, advance, now } = await setup('REQUIRED');
    const setupStep = step(await signIn(), 'mfa-setup');
    expect(setupStep.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(await pool.mfa.totpUri({ secret: setupStep.secret, account: 'alice@example.com' })).toMatch(/^otpauth:\/\/totp\/.*secret=/);

    expect(await pool.mfa.enrolTotp({ step: setupStep, code: '000000' })).toMatchObject({ error: 'invalid_code' });
    const first = codeAt(setupStep.secret, now());
    // Enrolled: ten recovery codes are shown once, then the sign-in finishes.
    const shown = step(await pool.mfa.enrolTotp({ step: setupStep, code: first }), 'recovery-codes');
    expect(shown.codes).toHaveLength(10);
    expect(new Set(shown.codes).size).toBe(10);
    await pool.flow.save({ uid: 'shown', step: shown });
    expect(await pool.mfa.acknowledgeRecoveryCodes({ uid: 'shown' })).toEqual({ done: { userId: setupStep.userId, amr: ['pwd', 'otp', 'mfa'] } });
    // The secret is stored sealed, not as the base32 the user saw.
    const stored = await db.kysely.selectFrom('mfa_factors').select('secret').executeTakeFirstOrThrow();
    expect(stored.secret).not.toContain(setupStep.secret);

    const mfa = step(await signIn(), 'mfa');
    // The enrolment code was used in this time step: replaying it fails.
    expect(await pool.mfa.answerCode({ step: mfa, code: first })).toMatchObject({ error: 'invalid_code' });
    // The next step's code is within the window and new: accepted, once.
    const next = codeAt(setupStep.secret, now() + 30_000);
    expect(await pool.mfa.answerCode({ step: mfa, code: next })).toMatchObject({ done: { amr: ['pwd', 'otp', 'mfa'] } });
    expect(await pool.mfa.answerCode({ step: mfa, code: next })).toMatchObject({ error: 'invalid_code' });

    // Codes more than one step away are refused.
    advance(5 * 60_000);
    expect(await pool.mfa.answerCode({ step: mfa, code: codeAt(setupStep.secret, now() - 90_000) })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.mfa.answerCode({ step: mfa, code: codeAt(setupStep.secret, now()) })).toMatchObject({ done: {} });
  });

  it('wrong codes lock the second factor like wrong passwords lock the first', async () => {
    const { pool, signIn, now } = await setup('REQUIRED');
    const s = step(await signIn(), 'mfa-setup');
    step(await pool.mfa.enrolTotp({ step: s, code: codeAt(s.secret, now()) }), 'recovery-codes');
    const mfa = step(await signIn(), 'mfa');
    for (let i = 0; i < 4; i++) expect(await pool.mfa.answerCode({ step: mfa, code: '000000' })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.mfa.answerCode({ step: mfa, code: '000000' })).toMatchObject({ error: 'locked_out' });
    expect(await pool.mfa.answerCode({ step: mfa, code: codeAt(s.secret, now() + 30_000) })).toMatchObject({ error: 'locked_out' });
  });

  it('a recovery code stands in for the app once; the user is told how many remain', async () => {
    const { db, pool, signIn, mails, deliver, now } = await setup('REQUIRED');
    const s = step(await signIn(), 'mfa-setup');
    const { codes } = step(await pool.mfa.enrolTotp({ step: s, code: codeAt(s.secret, now()) }), 'recovery-codes');
    const stored = await db.kysely.selectFrom('recovery_codes').select('code_hash').execute();
    expect(stored).toHaveLength(10);
    expect(stored.map((r) => r.code_hash)).not.toContain(codes[0]);

    const mfa = step(await signIn(), 'mfa');
    expect(await pool.mfa.answerRecoveryCode({ step: mfa, code: 'aaaa-bbbb-cccc', locale: 'en' })).toMatchObject({ error: 'invalid_code', field: 'recovery_code' });
    // Typed loosely: case, spaces and dashes do not matter.
    expect(await pool.mfa.answerRecoveryCode({ step: mfa, code: ` ${codes[3].toUpperCase().replace(/-/g, ' ')} `, locale: 'en' })).toEqual({ done: { userId: s.userId, amr: ['pwd', 'mfa'] } });
    expect(await pool.mfa.answerRecoveryCode({ step: mfa, code: codes[3], locale: 'en' })).toMatchObject({ error: 'invalid_code' });
    await deliver();
    expect(mails.at(-1)).toContain('You have 9 recovery codes left.');
    const logged = await db.kysely.selectFrom('events').select(['type', 'user_id']).orderBy('id').execute();
    // The two refused codes (a wrong one, a spent one) are sign-in events too.
    expect(logged).toEqual([
      { type: 'mfa_failed', user_id: s.userId },
      { type: 'recovery_code_used', user_id: s.userId },
      { type: 'mfa_failed', user_id: s.userId },
    ]);
  });

  it('e-mail codes: sent for this attempt only, 5 minutes, once; the last method used comes first', async () => {
    const { pool, signIn, mails, deliver, now, advance } = await setup('REQUIRED', ['totp', 'email']);
    const lastCode = () => /\b(\d{6})\b/.exec(mails.at(-1) ?? '')?.[1] ?? '';

    // A verified e-mail is already a factor: no enrolment, a code is mailed at once.
    const first = step(await signIn(), 'mfa');
    expect(first).toMatchObject({ methods: ['email'], method: 'email', destination: 'a***@e***.com' });
    await deliver();
    const code1 = lastCode();
    expect(mails.at(-1)).toContain('finish signing in');

    // A second attempt gets its own code; neither works for the other attempt.
    const second = step(await signIn(), 'mfa');
    await deliver();
    const code2 = lastCode();
    expect(code2).not.toBe(code1);
    if (code1 !== code2) expect(await pool.mfa.answerCode({ step: second, code: code1 })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.mfa.answerCode({ step: first, code: code1 })).toEqual({ done: { userId: first.userId, amr: ['pwd', 'otp', 'mfa'] } });
    expect(await pool.mfa.answerCode({ step: first, code: code1 })).toMatchObject({ error: 'invalid_code' });

    // Expired after 5 minutes.
    advance(5 * 60_000 + 1);
    expect(await pool.mfa.answerCode({ step: second, code: code2 })).toMatchObject({ error: expect.stringMatching(/invalid_code|expired_code/) });

    // With an authenticator too, both are offered; the one used last is asked for first.
    const s: Extract<FlowStep, { step: 'mfa-setup' }> = { step: 'mfa-setup', userId: first.userId, amr: ['pwd'], secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' };
    step(await pool.mfa.enrolTotp({ step: s, code: codeAt(s.secret, now()) }), 'recovery-codes');
    const both = step(await signIn(), 'mfa');
    expect(both).toMatchObject({ methods: ['totp', 'email'], method: 'email' });
    const viaApp = step(await pool.mfa.choose({ step: both, method: 'totp', locale: 'en', ip: IP }), 'mfa');
    expect(await pool.mfa.answerCode({ step: viaApp, code: codeAt(s.secret, now() + 30_000) })).toMatchObject({ done: {} });
    expect(step(await signIn(), 'mfa')).toMatchObject({ method: 'totp' });
    expect(await pool.mfa.resend({ uid: 'flow-z', step: viaApp, locale: 'en', ip: IP })).toMatchObject({ error: 'wrong_step' });
  });

  it('a remembered browser skips the second factor until it expires or the password changes', async () => {
    const { pool, signIn, mails, deliver, now, advance } = await setup('REQUIRED', ['totp'], 30);
    const s = step(await signIn(), 'mfa-setup');
    step(await pool.mfa.enrolTotp({ step: s, code: codeAt(s.secret, now()) }), 'recovery-codes');
    const mfa = step(await signIn(), 'mfa');
    // Not asked for: no token.
    expect(await pool.mfa.answerCode({ step: mfa, code: codeAt(s.secret, now() + 30_000) })).toEqual({ done: { userId: s.userId, amr: ['pwd', 'otp', 'mfa'] } });
    advance(60_000);
    const answered = await pool.mfa.answerCode({ step: step(await signIn(), 'mfa'), code: codeAt(s.secret, now()), remember: true });
    const token = (answered as { done: { rememberDevice?: { token: string; days: number } } }).done.rememberDevice;
    expect(token?.days).toBe(30);

    expect(await signIn(PASSWORD, token!.token)).toEqual({ done: { userId: s.userId, amr: ['pwd'] } });
    expect(step(await signIn(PASSWORD, `${token!.token.split('.')[0]}.forged`), 'mfa')).toBeDefined();
    expect(step(await signIn(PASSWORD, undefined), 'mfa')).toBeDefined();
    advance(31 * 86_400_000);
    expect(step(await signIn(PASSWORD, token!.token), 'mfa')).toBeDefined();

    // A fresh token, then a password reset: forgotten.
    const again = await pool.mfa.answerCode({ step: step(await signIn(), 'mfa'), code: codeAt(s.secret, now()), remember: true });
    const fresh = (again as { done: { rememberDevice: { token: string } } }).done.rememberDevice.token;
    expect(await signIn(PASSWORD, fresh)).toMatchObject({ done: {} });
    const r = step(await pool.forgotPassword({ identifier: 'alice', ip: IP, locale: 'en' }), 'reset-password');
    await deliver();
    const code = /\b(\d{6})\b/.exec(mails.at(-1) ?? '')![1];
    await pool.resetPassword({ step: r, code, password: `${PASSWORD} renewed`, locale: 'en' });
    expect(step(await signIn(`${PASSWORD} renewed`, fresh), 'mfa')).toBeDefined();
  });

  it('a password reset never removes the factor', async () => {
    const { pool, signIn, mails, deliver, now } = await setup('REQUIRED');
    const s = step(await signIn(), 'mfa-setup');
    await pool.mfa.enrolTotp({ step: s, code: codeAt(s.secret, now()) });
    const r = step(await pool.forgotPassword({ identifier: 'alice', ip: IP, locale: 'en' }), 'reset-password');
    await deliver(); // the code is mailed after the answer
    const code = /\b(\d{6})\b/.exec(mails.at(-1) ?? '')?.[1];
    expect(code).toMatch(/^\d{6}$/);
    const renewed = `${PASSWORD} renewed`;
    expect(await pool.resetPassword({ step: r, code: code!, password: renewed, locale: 'en' })).toEqual({ next: { step: 'sign-in' } });
    expect(step(await signIn(renewed), 'mfa')).toMatchObject({ userId: s.userId });
  });
});
