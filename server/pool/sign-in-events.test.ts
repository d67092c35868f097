import { Secret, TOTP } from 'otpauth';
import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import { applySeedIfEmpty } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { CONSOLE_CLIENT_ID, ensureConsoleClient } from './account/client';
import { createPool, type FlowOutcome, type FlowStep, type PoolError } from './index';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const DAY = 86_400_000;
const PASSWORD = 'violet tractor under seven lanterns';
const IP = '203.0.113.9';

const codeAt = (secret: string, at: number) => new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp: at });

function step<K extends FlowStep['step']>(r: FlowOutcome | PoolError, k: K): Extract<FlowStep, { step: K }> {
  if (!('next' in r) || r.next.step !== k) throw new Error(`expected step ${k}, got ${JSON.stringify(r)}`);
  return r.next as Extract<FlowStep, { step: K }>;
}

const app = (client_id: string, require_mfa?: boolean) => ({
  client_id,
  redirect_uris: [`https://${client_id}.example/cb`],
  token_endpoint_auth_method: 'none' as const,
  ...(require_mfa === undefined ? {} : { require_mfa }),
});

describeEachDb('sign-in events and apps that require MFA', (open) => {
  async function setup(mode: 'OFF' | 'OPTIONAL' | 'REQUIRED' = 'OFF', rememberDays = 0) {
    const db = await open();
    let t = START;
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { mfa: { mode, factors: ['totp'], remember_device_days: rememberDays } },
        clients: [app('plain'), app('strict', true)],
        groups: [{ name: 'admins' }],
        users: [
          { username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD, groups: ['admins'] },
          { username: 'bob', email: 'bob@example.com', email_verified: true, password: PASSWORD },
        ],
      }),
      t,
    );
    await ensureConsoleClient(db.kysely, 'http://localhost:3000', t);
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => t });
    const alice = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
    let n = 0;
    /** A password sign-in to `clientId`, through the flow as the sign-in page posts it. */
    const signIn = async (clientId: string, o: { identifier?: string; password?: string; device?: string } = {}) => {
      const uid = `uid-${++n}`;
      const r = await pool.flow.run({
        uid,
        clientId,
        ip: IP,
        expect: 'sign-in',
        run: (_s, p) => p.signIn({ identifier: o.identifier ?? 'alice', password: o.password ?? PASSWORD, ip: IP, locale: 'en', device: o.device }),
      });
      return { uid, r };
    };
    const finish = (uid: string, done: { userId: string; amr: string[] }, clientId: string) =>
      pool.flow.finish({ uid, done, clientId, ip: IP, hooks: [], complete: async () => 'https://app.example/cb' });
    const events = async (type?: string) => {
      let q = db.kysely.selectFrom('events').select(['type', 'user_id', 'ip', 'detail', 'created_at']).orderBy('id');
      if (type) q = q.where('type', '=', type);
      return (await q.execute()).map((e) => ({ ...e, detail: JSON.parse(e.detail ?? 'null') as Record<string, unknown> }));
    };
    /** Enrols alice's authenticator app through a sign-in to `strict` (which makes her), and finishes it. */
    const enrolTotp = async () => {
      const { uid, r } = await signIn('strict');
      const setupStep = step(r, 'mfa-setup');
      const shown = await pool.flow.run({ uid, clientId: 'strict', expect: 'mfa-setup', run: (s, p) => p.mfa.enrolTotp({ step: s, code: codeAt(setupStep.secret, t) }) });
      step(shown, 'recovery-codes');
      const done = await pool.mfa.acknowledgeRecoveryCodes({ uid });
      if (!('done' in done)) throw new Error(JSON.stringify(done));
      expect(await finish(uid, done.done, 'strict')).toBe('https://app.example/cb');
      return setupStep.secret;
    };
    return { db, pool, alice, signIn, finish, events, enrolTotp, now: () => t, advance: (ms: number) => (t += ms) };
  }

  it('a finished sign-in is an event naming the app, the first factor and amr', async () => {
    const { alice, signIn, finish, events } = await setup();
    const { uid, r } = await signIn('plain');
    if (!('done' in r)) throw new Error(JSON.stringify(r));
    expect(await finish(uid, r.done, 'plain')).toBe('https://app.example/cb');
    expect(await events()).toEqual([{ type: 'sign_in', user_id: alice, ip: IP, detail: { client_id: 'plain', method: 'password', amr: ['pwd'] }, created_at: START }]);
  });

  it('a wrong password is an event on the user; an unknown name gets the same answer and an event naming nobody', async () => {
    const { alice, signIn, events } = await setup();
    const wrong = await signIn('plain', { password: 'not the password at all' });
    const unknown = await signIn('plain', { identifier: 'nobody-here', password: 'not the password at all' });
    expect(wrong.r).toEqual({ error: 'invalid_credentials' });
    expect(unknown.r).toEqual(wrong.r);
    const failed = await events('sign_in_failed');
    expect(failed).toEqual([
      { type: 'sign_in_failed', user_id: alice, ip: IP, detail: { client_id: 'plain', method: 'password', reason: 'invalid_credentials' }, created_at: START },
      { type: 'sign_in_failed', user_id: null, ip: IP, detail: { client_id: 'plain', method: 'password', reason: 'invalid_credentials' }, created_at: START },
    ]);
    // The name typed for an unknown user is kept nowhere in the event.
    expect(JSON.stringify(failed[1])).not.toContain('nobody-here');
  });

  it('a locked account: each refusal is an event with its reason', async () => {
    const { signIn, events } = await setup();
    for (let i = 0; i < 6; i++) await signIn('plain', { password: `wrong password number ${i}` });
    const reasons = (await events('sign_in_failed')).map((e) => e.detail.reason);
    expect(reasons).toHaveLength(6);
    expect(reasons.slice(0, 4)).toEqual(Array(4).fill('invalid_credentials'));
    expect(reasons.slice(4)).toEqual(['locked_out', 'locked_out']);
  });

  it('events about unknown names stay within the anonymous limits; a known user\'s are all kept', async () => {
    const { alice, signIn, events } = await setup();
    // Each name its own: no lock in the way, all from one address within the ten-minute window.
    for (let i = 0; i < 32; i++) expect((await signIn('plain', { identifier: `nobody-${i}`, password: 'not the password at all' })).r).toEqual({ error: 'invalid_credentials' });
    const anonymous = (await events('sign_in_failed')).filter((e) => e.user_id === null);
    expect(anonymous).toHaveLength(30);
    await signIn('plain', { password: 'not the password at all' });
    expect((await events('sign_in_failed')).filter((e) => e.user_id === alice)).toHaveLength(1);
  });

  it('pool MFA OFF, an app that requires it: enrolment first, then a code at every sign-in to it; a wrong code is an event', async () => {
    const { alice, signIn, pool, finish, events, enrolTotp, now, advance } = await setup('OFF');
    const secret = await enrolTotp();
    // Other apps keep the pool's policy: a password alone. The console, as this app, asks.
    expect((await signIn('plain')).r).toMatchObject({ done: { amr: ['pwd'] } });
    step((await signIn(CONSOLE_CLIENT_ID)).r, 'mfa');
    advance(30_000);
    const { uid, r } = await signIn('strict');
    const mfa = step(r, 'mfa');
    expect(mfa.methods).toEqual(['totp']);
    const refused = await pool.flow.run({ uid, clientId: 'strict', ip: IP, expect: 'mfa', run: (s, p) => p.mfa.answerCode({ step: s, code: '000000' }) });
    expect(refused).toMatchObject({ error: 'invalid_code' });
    expect(await events('mfa_failed')).toEqual([{ type: 'mfa_failed', user_id: alice, ip: IP, detail: { client_id: 'strict', method: 'totp', reason: 'invalid_code' }, created_at: now() }]);
    const done = await pool.flow.run({ uid, clientId: 'strict', ip: IP, expect: 'mfa', run: (s, p) => p.mfa.answerCode({ step: s, code: codeAt(secret, now()) }) });
    if (!('done' in done)) throw new Error(JSON.stringify(done));
    expect(done.done.amr).toEqual(['pwd', 'otp', 'mfa']);
    expect(await finish(uid, done.done, 'strict')).toBe('https://app.example/cb');
    const signIns = await events('sign_in');
    expect(signIns.map((e) => e.detail)).toEqual([
      { client_id: 'strict', method: 'password', amr: ['pwd', 'otp', 'mfa'] },
      { client_id: 'strict', method: 'password', amr: ['pwd', 'otp', 'mfa'] },
    ]);
  });

  it('pool MFA OPTIONAL: a user without a factor enrols for the app that requires one, not for the others', async () => {
    const { signIn } = await setup('OPTIONAL');
    expect((await signIn('plain')).r).toMatchObject({ done: { amr: ['pwd'] } });
    step((await signIn('strict')).r, 'mfa-setup');
  });

  it('pool MFA OPTIONAL with a factor: both apps ask for it', async () => {
    const { signIn, enrolTotp } = await setup('OPTIONAL');
    await enrolTotp();
    step((await signIn('plain')).r, 'mfa');
    step((await signIn('strict')).r, 'mfa');
  });

  it('the console requires MFA of its admins (not of others), and a remembered browser does not skip it there', async () => {
    const { signIn, pool, enrolTotp, now } = await setup('OPTIONAL', 30);
    step((await signIn(CONSOLE_CLIENT_ID)).r, 'mfa-setup');
    // Someone outside the admin group is not made to enrol: the console only turns them away.
    expect((await signIn(CONSOLE_CLIENT_ID, { identifier: 'bob' })).r).toMatchObject({ done: { amr: ['pwd'] } });
    const secret = await enrolTotp();
    // A browser remembered at another app's sign-in.
    const { uid, r } = await signIn('plain');
    step(r, 'mfa');
    const remembered = await pool.flow.run({ uid, clientId: 'plain', expect: 'mfa', run: (s, p) => p.mfa.answerCode({ step: s, code: codeAt(secret, now() + 30_000), remember: true }) });
    if (!('done' in remembered) || !remembered.done.rememberDevice) throw new Error(JSON.stringify(remembered));
    const device = remembered.done.rememberDevice.token;
    expect((await signIn('plain', { device })).r).toMatchObject({ done: { amr: ['pwd'] } });
    step((await signIn(CONSOLE_CLIENT_ID, { device })).r, 'mfa');
    step((await signIn('strict', { device })).r, 'mfa');
  });

  it('an app that requires MFA is never finished without it (the last check, should a path miss the gate)', async () => {
    const { alice, pool, finish, events } = await setup('OFF');
    await pool.flow.save({ uid: 'uid-x', step: { step: 'sign-in' } });
    expect(await finish('uid-x', { userId: alice, amr: ['fed'] }, 'strict')).toBeUndefined();
    expect(await finish('uid-x', { userId: alice, amr: ['pwd'] }, CONSOLE_CLIENT_ID)).toBeUndefined();
    expect(await events('sign_in')).toEqual([]);
    expect(await finish('uid-x', { userId: alice, amr: ['fed'] }, 'plain')).toBe('https://app.example/cb');
    expect((await events('sign_in')).map((e) => e.detail)).toEqual([{ client_id: 'plain', method: 'federated', amr: ['fed'] }]);
  });

  it('the overview counts sign-ins and failures per UTC day, every one of the last days listed', async () => {
    const { db, alice, pool, signIn, finish, advance } = await setup();
    const success = async () => {
      const { uid, r } = await signIn('plain');
      if (!('done' in r)) throw new Error(JSON.stringify(r));
      await finish(uid, r.done, 'plain');
    };
    await success();
    await signIn('plain', { password: 'not the password at all' });
    advance(DAY);
    await success();
    await success();
    await signIn('plain', { identifier: 'nobody', password: 'not the password at all' });
    await db.kysely.insertInto('events').values({ type: 'mfa_failed', user_id: alice, ip: null, detail: '{}', created_at: START + DAY + 1 }).execute();
    // Neither other kinds of events nor days out of range count.
    await db.kysely.insertInto('events').values({ type: 'passkey_removed', user_id: alice, ip: null, detail: '{}', created_at: START + DAY }).execute();
    await db.kysely.insertInto('events').values({ type: 'sign_in', user_id: alice, ip: null, detail: '{}', created_at: START - 7 * DAY }).execute();
    const o = await pool.console.overview({ days: 3 });
    expect(o.users).toBe(2);
    expect(o.perDay).toEqual([
      { day: '2030-01-02', signIns: 2, failures: 2 },
      { day: '2030-01-01', signIns: 1, failures: 1 },
      { day: '2029-12-31', signIns: 0, failures: 0 },
    ]);
  });
});
