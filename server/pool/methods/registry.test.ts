import { expect, it } from 'vitest';
import { parseSeed } from '../../config/seed';
import { applySeedIfEmpty } from '../../pool-config/apply';
import { describeEachDb } from '../../testing/databases';
import { FAKE_PIN_SECRET, fakePin } from '../../testing/fake-method';
import { testOutbox } from '../../testing/outbox';
import { createPool, type FlowOutcome, type FlowStep, type PoolError } from '../index';
import { methods } from './registry';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const PASSWORD = 'violet tractor under seven lanterns';
const opts = { locale: 'en', ip: '203.0.113.9' };

function mfaStep(r: FlowOutcome | PoolError): Extract<FlowStep, { step: 'mfa' }> {
  if (!('next' in r) || r.next.step !== 'mfa') throw new Error(`expected the mfa step, got ${JSON.stringify(r)}`);
  return r.next;
}

describeEachDb('a method registered beside the built-ins', (open) => {
  async function setup() {
    const db = await open();
    let t = START;
    await applySeedIfEmpty(
      db,
      parseSeed({ pool: { mfa: { mode: 'REQUIRED', factors: ['email'] } }, users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD }] }),
      t,
    );
    const holders = new Set<string>();
    const outbox = testOutbox(db.kysely, { now: () => t });
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => t, methods: { ...methods, pin: fakePin(holders, '4711') } });
    const alice = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
    const signIn = () => pool.signIn({ identifier: 'alice', password: PASSWORD, ...opts });
    return { pool, alice, holders, signIn, advance: (ms: number) => (t += ms) };
  }

  it('is offered at sign-in, after the built-ins, only to users who hold it, listed on the account overview, and removed there', async () => {
    const { pool, alice, holders, signIn } = await setup();
    expect(mfaStep(await signIn()).methods).toEqual(['email']);
    const standing = async () => (await pool.account.security({ userId: alice })).methods.find((s) => s.kind === 'pin');
    expect(await standing()).toEqual({ kind: 'pin', on: false });
    holders.add(alice);
    expect(mfaStep(await signIn())).toMatchObject({ methods: ['email', 'pin'], method: 'email' });
    expect((await pool.account.security({ userId: alice })).methods.map((s) => s.kind)).toEqual(['password', 'email', 'recovery', 'pin']);
    expect(await standing()).toEqual({ kind: 'pin', on: true });
    // Removed through the account's one entry for every method that can be.
    expect(await pool.account.removeMethod({ userId: alice, kind: 'pin', locale: 'en' })).toEqual({ removed: true });
    expect(mfaStep(await signIn()).methods).toEqual(['email']);
    expect(await pool.account.removeMethod({ userId: alice, kind: 'email', locale: 'en' })).toMatchObject({ error: 'wrong_step' });
    expect(pool.methods.pin).toBeDefined();
  });

  it('is verified through the shared attempt path: wrong answers to it and to the e-mail code count toward one lock', async () => {
    const { pool, alice, holders, signIn, advance } = await setup();
    holders.add(alice);
    const byEmail = mfaStep(await signIn());
    for (let i = 0; i < 3; i++) expect(await pool.mfa.answerCode({ step: byEmail, code: '000000' })).toMatchObject({ error: 'invalid_code' });
    const chosen = await pool.mfa.choose({ step: byEmail, method: 'pin', ...opts });
    const byPin = mfaStep(chosen);
    expect(byPin.method).toBe('pin');
    // The fourth failure is the last free one (the pool's default); the fifth locks, whichever method it was.
    expect(await pool.mfa.answerCode({ step: byPin, code: '1234' })).toMatchObject({ error: 'invalid_code' });
    expect(await pool.mfa.answerCode({ step: byPin, code: '1234' })).toMatchObject({ error: 'locked_out' });
    expect(await pool.mfa.answerCode({ step: byPin, code: '4711' })).toMatchObject({ error: 'locked_out' });
    advance(2_000);
    expect(await pool.mfa.answerCode({ step: byPin, code: '4711' })).toMatchObject({ done: { userId: alice, amr: ['pwd', 'pin', 'mfa'] } });
  });

  it('is enrolled through switchEnrolment from any enrolment screen; an unknown kind, one the policy does not allow, or one without an enrolment step is refused', async () => {
    const { pool, alice } = await setup();
    const amr = ['pwd'];
    const screens = [
      { step: 'mfa-setup', userId: alice, amr, secret: 'A'.repeat(32) },
      { step: 'mfa-setup-sms', userId: alice, amr, phone: null, destination: null },
      { step: 'passkey-setup', userId: alice, amr },
    ] as const;
    for (const step of screens) {
      expect(await pool.mfa.switchEnrolment({ step, to: 'pin' })).toEqual({ next: { step: 'mfa-setup', userId: alice, amr, secret: FAKE_PIN_SECRET } });
      // The policy allows the e-mail code only, and nothing enrols it at sign-in.
      for (const to of ['nope', 'totp', 'sms', 'webauthn', 'email', 'password', 'recovery', 'hasOwnProperty']) {
        expect(await pool.mfa.switchEnrolment({ step, to })).toEqual({ error: 'wrong_step' });
      }
    }
  });
});
