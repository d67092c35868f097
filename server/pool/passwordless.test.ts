/**
 * Passwordless first factors (passwordless.ts) on SQLite and PostgreSQL: codes and links bound to
 * their attempt, single use, short-lived, counted under the password's lock, and answered alike
 * whether or not an account is behind what was typed.
 */
import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import type { OutgoingMail } from '../mail/mailer';
import { applySeedIfEmpty } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import type { PoolError } from './errors';
import { createPool, type FlowOutcome, type FlowStep } from './index';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const IP = '203.0.113.8';
const LOCKOUT = { free_failures: 4, base_seconds: 60, max_seconds: 900 };
const METHODS = ['password', 'email_otp', 'sms_otp', 'magic_link'];
const users = [
  { username: 'alice', email: 'alice@example.com', email_verified: true, phone_number: '+447700900123', phone_number_verified: true, password: 'violet tractor under seven lanterns' },
  { username: 'unverified', email: 'unverified@example.com', email_verified: false, password: 'amber kettles hum beneath quiet bridges' },
];

type Passwordless = Extract<FlowStep, { step: 'passwordless' }>;
function stepOf(r: FlowOutcome | PoolError): Passwordless {
  if (!('next' in r) || r.next.step !== 'passwordless') throw new Error(`expected the passwordless step, got ${JSON.stringify(r)}`);
  return r.next;
}
const codeIn = (text: string | undefined) => {
  const c = text?.match(/\b(\d{6})\b/)?.[1];
  if (!c) throw new Error(`no code in ${text}`);
  return c;
};
const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const linkIn = (m: OutgoingMail | undefined) => {
  const url = new URL(m?.text.match(/https?:\/\/\S+/)?.[0] ?? 'http://none/');
  return { uid: url.searchParams.get('uid') ?? '', id: url.searchParams.get('link') ?? '', token: url.searchParams.get('token') ?? '' };
};
/** What a screen shows of an answer: the step's name and method (its destination is what was typed, masked), or the answer. */
const screenOf = (r: FlowOutcome | PoolError | { sent: true }) => ('next' in r && r.next.step === 'passwordless' ? { step: r.next.step, method: r.next.method } : r);

describeEachDb('passwordless sign-in', (open) => {
  async function setup(pool: Record<string, unknown> = {}) {
    const db = await open();
    let t = START;
    const now = () => t;
    await applySeedIfEmpty(db, parseSeed({ pool: { lockout: LOCKOUT, sign_in_methods: METHODS, ...pool }, users }), t);
    const outbox = testOutbox(db.kysely, { now });
    const p = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now, publicUrl: 'https://id.example' });
    const alice = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
    const mailsTo = async (to: string) => (await outbox.deliver(), outbox.mails.filter((m) => m.to === to));
    const textsTo = async (to: string) => (await outbox.deliver(), outbox.texts.filter((m) => m.to === to));
    const start = async (kind: string, identifier: string, uid = 'uid-1') => p.passwordless.start({ uid, method: kind, identifier, ip: IP, locale: 'en' });
    const answer = (step: Passwordless, code: string) => p.passwordless.answerCode({ step, code, ip: IP, locale: 'en' });
    const failures = async (key: string) => (await db.kysely.selectFrom('lockouts').select('failures').where('key', '=', key).executeTakeFirst())?.failures;
    return { db, pool: p, alice, mailsTo, textsTo, start, answer, failures, advance: (ms: number) => (t += ms) };
  }

  it('an e-mailed code signs in once, for its own attempt only, within 5 minutes; amr says otp and email', async () => {
    const { alice, start, answer, mailsTo, advance } = await setup();
    const first = stepOf(await start('email_otp', 'alice'));
    const second = stepOf(await start('email_otp', 'alice', 'uid-2'));
    const [mailA, mailB] = await mailsTo('alice@example.com');
    expect(mailA.subject).toContain('sign-in code');
    // A code from another attempt (another browser's sign-in) fails here, and counts.
    expect(await answer(second, codeIn(mailA.text))).toMatchObject({ error: 'invalid_code', field: 'code' });
    expect(await answer(first, codeIn(mailA.text))).toEqual({ done: { userId: alice, amr: ['otp', 'email'] } });
    expect(await answer(first, codeIn(mailA.text))).toMatchObject({ error: 'invalid_code' });
    advance(5 * 60_000);
    expect(await answer(second, codeIn(mailB.text))).toMatchObject({ error: 'expired_code' });
  });

  it('a texted code signs in with amr sms; a pool that does not offer a method refuses it', async () => {
    const { alice, start, answer, textsTo } = await setup();
    const step = stepOf(await start('sms_otp', 'alice'));
    const [text] = await textsTo('+447700900123');
    expect(text.purpose).toBe('sign_in');
    expect(await answer(step, codeIn(text.body))).toEqual({ done: { userId: alice, amr: ['sms'] } });
    const { start: startElsewhere } = await setup({ sign_in_methods: ['password', 'passkey'] });
    expect(await startElsewhere('email_otp', 'alice')).toEqual({ error: 'wrong_step' });
    expect(await startElsewhere('totp', 'alice')).toEqual({ error: 'wrong_step' });
    // Nor is a password taken by a pool that signs in only with codes.
    const { pool: codesOnly } = await setup({ sign_in_methods: ['email_otp'] });
    expect(await codesOnly.signIn({ identifier: 'alice', password: users[0].password, ip: IP, locale: 'en' })).toEqual({ error: 'wrong_step' });
  });

  it('a magic link signs in once, only for the sign-in and attempt that asked, for 10 minutes; reading it spends nothing', async () => {
    const { pool, alice, start, mailsTo, advance } = await setup();
    const step = stepOf(await start('magic_link', 'alice@example.com'));
    expect(step.destination).toBe('a***@e***.com');
    const [mail] = await mailsTo('alice@example.com');
    const link = linkIn(mail);
    expect(mail.text).toContain('https://id.example/en/login/link?');
    expect(await pool.passwordless.inspectLink(link)).toEqual({ uid: 'uid-1', attempt: step.attempt, userId: alice, usable: true });
    const use = (o: { uid: string; step: Passwordless; id: string; token: string }) => pool.passwordless.useLink({ ...o, ip: IP, locale: 'en' });
    // Another sign-in, a forged token, another attempt: refused, and the link still works after.
    expect(await use({ ...link, uid: 'uid-other', step })).toMatchObject({ error: 'link_invalid' });
    expect(await use({ ...link, token: link.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')), step })).toMatchObject({ error: 'link_invalid' });
    expect(await use({ ...link, step: { ...step, attempt: 'another' } })).toMatchObject({ error: 'link_invalid' });
    expect(await use({ ...link, step })).toEqual({ done: { userId: alice, amr: ['email'] } });
    expect(await use({ ...link, step })).toMatchObject({ error: 'link_invalid' });
    expect((await pool.passwordless.inspectLink(link))?.usable).toBe(false);

    const late = stepOf(await start('magic_link', 'alice', 'uid-3'));
    const lateLink = linkIn((await mailsTo('alice@example.com'))[1]);
    advance(10 * 60_000);
    expect(await use({ ...lateLink, step: late })).toMatchObject({ error: 'link_invalid' });
  });

  it('ten concurrent wrong codes: five are checked (the lock reserved before each), the rest and then the right code are refused', async () => {
    const { db, alice, start, answer, mailsTo, failures } = await setup();
    const step = stepOf(await start('email_otp', 'alice'));
    const code = codeIn((await mailsTo('alice@example.com'))[0].text);
    const results = await Promise.all(Array.from({ length: 10 }, () => answer(step, otherCode(code))));
    const errors = results.map((r) => ('error' in r ? r.error : 'passed'));
    // Checked: the free failures, then the one that set the lock (which of them burnt the code
    // depends on the order they reach it); the others were refused by the lock or the burnt code.
    expect(errors.filter((e) => e === 'invalid_code').length).toBeLessThanOrEqual(LOCKOUT.free_failures);
    expect(errors.every((e) => ['invalid_code', 'too_many_attempts', 'locked_out'].includes(e))).toBe(true);
    expect(await failures(`user:${alice}`)).toBe(LOCKOUT.free_failures + 1);
    const row = await db.kysely.selectFrom('codes').select('attempts').where('user_id', '=', alice).executeTakeFirstOrThrow();
    expect(Number(row.attempts)).toBe(LOCKOUT.free_failures + 1);
    expect(await answer(step, code)).toMatchObject({ error: expect.stringMatching(/^(locked_out|too_many_attempts)$/) });
  });

  it('wrong codes and wrong passwords count toward one lock', async () => {
    const { pool, alice, start, answer, failures } = await setup();
    const step = stepOf(await start('email_otp', 'alice'));
    for (let i = 0; i < 2; i++) await answer(step, '000000');
    await pool.signIn({ identifier: 'alice', password: 'not it at all, sorry', ip: IP, locale: 'en' });
    expect(await failures(`user:${alice}`)).toBe(3);
  });

  it('an unknown name, or an account without a verified address, gets the same screens and answers as a real one, and nothing is sent', async () => {
    const { db, start, answer, pool, mailsTo, textsTo } = await setup();
    for (const kind of ['email_otp', 'sms_otp', 'magic_link']) {
      const transcript = async (identifier: string, uid: string) => {
        const begun = await start(kind, identifier, uid);
        const step = stepOf(begun);
        const answers: unknown[] = [screenOf(begun)];
        if (kind === 'magic_link') {
          answers.push(await pool.passwordless.useLink({ uid, step, id: '00000000-0000-0000-0000-000000000000', token: 'x', ip: IP, locale: 'en' }));
        } else {
          for (let i = 0; i < 6; i++) answers.push(await answer(step, '000000'));
        }
        answers.push(screenOf(await pool.passwordless.resend({ uid, step, ip: IP, locale: 'en' })));
        return answers;
      };
      const real = await transcript('alice@example.com', `real-${kind}`);
      expect(await transcript('nobody@example.com', `nobody-${kind}`)).toEqual(real);
      expect(await transcript('unverified@example.com', `unverified-${kind}`)).toEqual(real);
    }
    expect(await mailsTo('nobody@example.com')).toEqual([]);
    expect(await mailsTo('unverified@example.com')).toEqual([]);
    expect((await textsTo('+10000000000')).length).toBe(0);
    // The decoys were written like real messages (the same work), and never delivered.
    const decoys = await db.kysely.selectFrom('messages').select('channel').where('status', '=', 'decoy').execute();
    // Two decoy names, six sends each, the last over the per-recipient quota of five.
    expect(decoys.map((d) => d.channel).sort()).toEqual(['email', 'email', 'email', 'email', 'email', 'email', 'sms', 'sms', 'sms', 'sms']);
  });

  it('a second factor the policy requires still follows, but not the channel that proved the first', async () => {
    const { alice, start, answer, mailsTo } = await setup({ mfa: { mode: 'REQUIRED', factors: ['email', 'sms'] } });
    const step = stepOf(await start('email_otp', 'alice'));
    const next = await answer(step, codeIn((await mailsTo('alice@example.com'))[0].text));
    expect(next).toMatchObject({ next: { step: 'mfa', userId: alice, amr: ['otp', 'email'], methods: ['sms'], method: 'sms' } });
  });
});
