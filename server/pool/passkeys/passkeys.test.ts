import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import { Secret, TOTP } from 'otpauth';
import { expect, it } from 'vitest';
import { parseSeed } from '../../config/seed';
import { describeEachDb } from '../../testing/databases';
import { testOutbox } from '../../testing/outbox';
import { SoftAuthenticator } from '../../testing/soft-authenticator';
import { createPool, type FlowOutcome, type FlowStep, type PoolError } from '../index';
import { applySeedIfEmpty } from '../../pool-config/apply';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const PASSWORD = 'violet tractor under seven lanterns';
const IP = '203.0.113.9';
const PUBLIC_URL = 'https://login.example.com';
const ORIGIN = 'https://login.example.com';

function step<K extends FlowStep['step']>(r: FlowOutcome | PoolError, k: K): Extract<FlowStep, { step: K }> {
  if (!('next' in r) || r.next.step !== k) throw new Error(`expected step ${k}, got ${JSON.stringify(r)}`);
  return r.next as Extract<FlowStep, { step: K }>;
}
function ok<T extends object>(r: T | PoolError): T {
  if ('error' in r) throw new Error(`expected success, got ${JSON.stringify(r)}`);
  return r;
}

describeEachDb('passkeys (WebAuthn)', (open) => {
  async function setup(mfa: { mode?: 'OFF' | 'OPTIONAL' | 'REQUIRED'; factors?: ('totp' | 'email' | 'webauthn')[] } = {}) {
    const db = await open();
    let t = START;
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { name: 'Acme', mfa: { mode: mfa.mode ?? 'OPTIONAL', factors: mfa.factors ?? ['webauthn'] } },
        users: [
          { username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD },
          { username: 'bob', email: 'bob@example.com', email_verified: true, password: PASSWORD },
        ],
      }),
      t,
    );
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => t, publicUrl: PUBLIC_URL });
    const id = async (username: string) => (await db.kysely.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
    const signIn = (username = 'alice') => pool.signIn({ identifier: username, password: PASSWORD, ip: IP, locale: 'en' });
    /** Registers a new passkey of `auth` for the user, through the self-service API. */
    const enrol = async (userId: string, auth: SoftAuthenticator, name = 'Laptop') => {
      const options = ok(await pool.passkeys.registrationOptions({ userId })) as PublicKeyCredentialCreationOptionsJSON;
      return pool.passkeys.register({ userId, response: auth.register(options), name });
    };
    const signInOptions = async (uid: string) => ok(await pool.passkeys.signInOptions({ uid })) as PublicKeyCredentialRequestOptionsJSON;
    return { db, pool, id, signIn, enrol, signInOptions, advance: (ms: number) => (t += ms), now: () => t };
  }

  it('registration: options for this RP and user, several passkeys each, the user’s own excluded', async () => {
    const { pool, id, enrol, advance } = await setup();
    const alice = await id('alice');
    const options = ok(await pool.passkeys.registrationOptions({ userId: alice })) as PublicKeyCredentialCreationOptionsJSON;
    expect(options.rp).toEqual({ id: 'login.example.com', name: 'Acme' });
    expect(options.user).toMatchObject({ name: 'alice', displayName: 'alice@example.com' });
    expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(alice);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'preferred', userVerification: 'preferred' });
    expect(options.excludeCredentials).toEqual([]);

    const laptop = new SoftAuthenticator(ORIGIN);
    const phone = new SoftAuthenticator(ORIGIN, { backupEligible: true });
    const first = ok(await enrol(alice, laptop, '  Work laptop ')).passkey;
    expect(first).toMatchObject({ name: 'Work laptop', deviceType: 'singleDevice', backedUp: false, transports: ['internal'], lastUsedAt: null });
    advance(1000);
    const second = ok(await enrol(alice, phone, 'Phone')).passkey;
    expect(second).toMatchObject({ deviceType: 'multiDevice', backedUp: true });
    expect((await pool.passkeys.list({ userId: alice })).map((p) => p.name)).toEqual(['Work laptop', 'Phone']);

    const again = ok(await pool.passkeys.registrationOptions({ userId: alice })) as PublicKeyCredentialCreationOptionsJSON;
    expect(again.excludeCredentials?.map((c) => c.id).sort()).toEqual([first.id, second.id].sort());
    // The same credential twice (an authenticator ignoring the exclusion) is refused.
    expect(await pool.passkeys.register({ userId: alice, response: laptop.register(again, { reuse: true }), name: 'Copy' })).toEqual({ error: 'passkey_exists' });
    // An ID in the answer that is not the attested credential's is refused.
    const mismatched = laptop.register(ok(await pool.passkeys.registrationOptions({ userId: alice })) as PublicKeyCredentialCreationOptionsJSON);
    mismatched.id = mismatched.rawId = first.id;
    expect(await pool.passkeys.register({ userId: alice, response: mismatched, name: 'Copy' })).toEqual({ error: 'passkey_failed' });
    expect(await pool.passkeys.list({ userId: alice })).toHaveLength(2);
    // Names are checked: required, printable, at most 64 characters.
    expect(await enrol(alice, new SoftAuthenticator(ORIGIN), '   ')).toMatchObject({ error: 'required', field: 'name' });
    expect(await enrol(alice, new SoftAuthenticator(ORIGIN), 'x'.repeat(65))).toMatchObject({ error: 'too_long', field: 'name' });
  });

  it('a registration challenge is the user’s, single use and short-lived; origin and RP ID must be ours', async () => {
    const { pool, id, advance } = await setup();
    const [alice, bob] = [await id('alice'), await id('bob')];
    const auth = new SoftAuthenticator(ORIGIN);
    const options = () => pool.passkeys.registrationOptions({ userId: alice }).then((o) => ok(o) as PublicKeyCredentialCreationOptionsJSON);

    // Bound to the user it was made for.
    expect(await pool.passkeys.register({ userId: bob, response: auth.register(await options()), name: 'Stolen' })).toMatchObject({ error: 'passkey_failed' });
    // Used once: the same answer again fails even though it was right the first time.
    const answer = auth.register(await options());
    expect(await pool.passkeys.register({ userId: alice, response: answer, name: 'Laptop' })).toMatchObject({ passkey: { name: 'Laptop' } });
    expect(await pool.passkeys.register({ userId: alice, response: answer, name: 'Laptop' })).toMatchObject({ error: 'passkey_failed' });
    // Expired after five minutes.
    const late = auth.register(await options());
    advance(5 * 60_000 + 1);
    expect(await pool.passkeys.register({ userId: alice, response: late, name: 'Late' })).toMatchObject({ error: 'passkey_failed' });
    // Another site's origin, or another RP ID, is refused; and the challenge is spent by the try.
    const foreign = await options();
    expect(await pool.passkeys.register({ userId: alice, response: auth.register(foreign, { origin: 'https://evil.example' }), name: 'X' })).toMatchObject({ error: 'passkey_failed' });
    expect(await pool.passkeys.register({ userId: alice, response: auth.register(foreign), name: 'X' })).toMatchObject({ error: 'passkey_failed' });
    expect(await pool.passkeys.register({ userId: alice, response: auth.register(await options(), { rpId: 'example.com' }), name: 'X' })).toMatchObject({ error: 'passkey_failed' });
    expect(await pool.passkeys.register({ userId: alice, response: auth.register(await options(), { type: 'webauthn.get' }), name: 'X' })).toMatchObject({ error: 'passkey_failed' });
    // Garbage is one refusal, not a crash.
    for (const junk of [null, 'not json', '{}', { id: 'a', rawId: 'a', type: 'public-key', response: { clientDataJSON: '!!', attestationObject: '' } }]) {
      expect(await pool.passkeys.register({ userId: alice, response: junk, name: 'X' })).toMatchObject({ error: 'passkey_failed' });
    }
    expect(await pool.passkeys.list({ userId: alice })).toHaveLength(1);
  });

  it('passwordless: a verified passkey is both factors; the challenge is the attempt’s, once, five minutes', async () => {
    const { pool, id, enrol, signInOptions, advance } = await setup({ mode: 'REQUIRED', factors: ['webauthn', 'totp'] });
    const alice = await id('alice');
    const phone = new SoftAuthenticator(ORIGIN, { backupEligible: true });
    ok(await enrol(alice, phone));

    const options = await signInOptions('uid-1');
    expect(options).toMatchObject({ rpId: 'login.example.com', allowCredentials: [], userVerification: 'preferred' });
    const answer = phone.authenticate(options);
    expect(await pool.passkeys.signIn({ uid: 'uid-1', response: answer, ip: IP, locale: 'en' })).toEqual({ done: { userId: alice, amr: ['swk', 'mfa'] } });
    expect(await pool.passkeys.signIn({ uid: 'uid-1', response: answer, ip: IP, locale: 'en' })).toMatchObject({ error: 'passkey_failed' });
    // Another sign-in attempt's challenge does not answer this one.
    const elsewhere = phone.authenticate(await signInOptions('uid-2'));
    expect(await pool.passkeys.signIn({ uid: 'uid-3', response: elsewhere, ip: IP, locale: 'en' })).toMatchObject({ error: 'passkey_failed' });
    // A new request replaces the previous challenge of the same attempt.
    const stale = phone.authenticate(await signInOptions('uid-4'));
    const fresh = phone.authenticate(await signInOptions('uid-4'));
    expect(await pool.passkeys.signIn({ uid: 'uid-4', response: stale, ip: IP, locale: 'en' })).toMatchObject({ error: 'passkey_failed' });
    expect(await pool.passkeys.signIn({ uid: 'uid-4', response: fresh, ip: IP, locale: 'en' })).toMatchObject({ done: { userId: alice } });
    const late = phone.authenticate(await signInOptions('uid-5'));
    advance(5 * 60_000 + 1);
    expect(await pool.passkeys.signIn({ uid: 'uid-5', response: late, ip: IP, locale: 'en' })).toMatchObject({ error: 'passkey_failed' });
    expect((await pool.passkeys.list({ userId: alice }))[0].lastUsedAt).toBe(START);
  });

  it('an unknown passkey gets the answer of a wrong password; origin, RP ID and signature are checked', async () => {
    const { pool, id, enrol, signInOptions, signIn } = await setup();
    const alice = await id('alice');
    const key = new SoftAuthenticator(ORIGIN);
    ok(await enrol(alice, key));
    const wrongPassword = await pool.signIn({ identifier: 'alice', password: 'not it at all', ip: IP, locale: 'en' });
    const stranger = new SoftAuthenticator(ORIGIN);
    stranger.register(ok(await pool.passkeys.registrationOptions({ userId: await id('bob') })) as PublicKeyCredentialCreationOptionsJSON); // never sent to the server
    const unknown = await pool.passkeys.signIn({ uid: 'u1', response: stranger.authenticate(await signInOptions('u1')), ip: IP, locale: 'en' });
    expect(unknown).toEqual(wrongPassword);
    expect(unknown).toEqual({ error: 'invalid_credentials' });

    const bent = async (bend: Parameters<SoftAuthenticator['authenticate']>[1]) =>
      pool.passkeys.signIn({ uid: 'u2', response: key.authenticate(await signInOptions('u2'), bend), ip: IP, locale: 'en' });
    expect(await bent({ origin: 'https://login.example.com:8443' })).toMatchObject({ error: 'passkey_failed' });
    expect(await bent({ origin: 'http://login.example.com' })).toMatchObject({ error: 'passkey_failed' });
    expect(await bent({ rpId: 'example.com' })).toMatchObject({ error: 'passkey_failed' });
    expect(await bent({ type: 'webauthn.create' })).toMatchObject({ error: 'passkey_failed' });
    // The user handle must be the credential's owner.
    expect(await bent({ userHandle: Buffer.from(await id('bob')).toString('base64url') })).toMatchObject({ error: 'invalid_credentials' });
    // A signature by another key over the right data.
    const forged = key.authenticate(await signInOptions('u3'));
    const other = new SoftAuthenticator(ORIGIN).authenticate(await signInOptions('u3'), { credentialId: forged.id });
    expect(await pool.passkeys.signIn({ uid: 'u3', response: { ...forged, response: { ...forged.response, signature: other.response.signature } }, ip: IP, locale: 'en' })).toMatchObject({ error: 'passkey_failed' });
    // With mode OPTIONAL and user verification, the right answer signs in.
    expect(await bent({})).toEqual({ done: { userId: alice, amr: ['hwk', 'mfa'] } });
    expect(await signIn()).toMatchObject({ next: { step: 'mfa', methods: ['webauthn'] } });
  });

  it('a signature counter that does not move forward is refused', async () => {
    const { pool, id, enrol, signInOptions, db } = await setup();
    const alice = await id('alice');
    const key = new SoftAuthenticator(ORIGIN);
    const { passkey } = ok(await enrol(alice, key));
    const attempt = async (counter: number, uid: string) => pool.passkeys.signIn({ uid, response: key.authenticate(await signInOptions(uid), { counter }), ip: IP, locale: 'en' });
    expect(await attempt(5, 'a')).toMatchObject({ done: { userId: alice } });
    expect(await attempt(5, 'b')).toMatchObject({ error: 'passkey_failed' });
    expect(await attempt(3, 'c')).toMatchObject({ error: 'passkey_failed' });
    expect(await attempt(6, 'd')).toMatchObject({ done: { userId: alice } });
    const row = await db.kysely.selectFrom('webauthn_credentials').select('counter').where('id', '=', passkey.id).executeTakeFirstOrThrow();
    expect(Number(row.counter)).toBe(6);
  });

  it('without user verification a passkey is one factor: the gate asks for another, or for the password', async () => {
    const { pool, id, enrol, signInOptions, signIn, now } = await setup({ mode: 'OPTIONAL', factors: ['webauthn', 'totp'] });
    const alice = await id('alice');
    const key = new SoftAuthenticator(ORIGIN, { userVerified: false });
    ok(await enrol(alice, key));
    const passwordless = async (uid: string) => pool.passkeys.signIn({ uid, response: key.authenticate(await signInOptions(uid)), ip: IP, locale: 'en' });
    // No other factor to add to it: the password (with the passkey as second factor) is the way.
    expect(await passwordless('p1')).toEqual({ error: 'passkey_not_verified' });
    const second = step(await signIn(), 'mfa');
    expect(second).toMatchObject({ methods: ['webauthn'], method: 'webauthn' });
    const options = ok(await pool.passkeys.mfaOptions({ step: second })) as PublicKeyCredentialRequestOptionsJSON;
    expect(options.allowCredentials?.map((c) => c.id)).toEqual((await pool.passkeys.list({ userId: alice })).map((p) => p.id));
    expect(await pool.passkeys.answer({ step: second, response: key.authenticate(options) })).toEqual({ done: { userId: alice, amr: ['pwd', 'hwk', 'mfa'] } });

    // With an authenticator app as well, a passkey sign-in without verification goes on to the app.
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const code = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now() });
    step(await pool.mfa.enrolTotp({ step: { step: 'mfa-setup', userId: alice, amr: ['pwd'], secret }, code }), 'recovery-codes');
    const app = step(await passwordless('p2'), 'mfa');
    expect(app).toMatchObject({ amr: ['hwk'], methods: ['totp'], method: 'totp' });
    const next = new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: now() + 30_000 });
    expect(await pool.mfa.answerCode({ step: app, code: next })).toEqual({ done: { userId: alice, amr: ['hwk', 'otp', 'mfa'] } });
  });

  it('as the second factor: this user’s passkeys only, this attempt’s challenge only; the last method used comes first', async () => {
    const { pool, id, enrol, signIn } = await setup({ mode: 'OPTIONAL', factors: ['webauthn', 'email'] });
    const [alice, bob] = [await id('alice'), await id('bob')];
    const mine = new SoftAuthenticator(ORIGIN);
    const bobs = new SoftAuthenticator(ORIGIN);
    ok(await enrol(alice, mine));
    ok(await enrol(bob, bobs));
    // E-mail codes are opt-in in an optional pool.
    expect(await pool.account.setCodesOptIn({ userId: alice, kind: 'email', on: true, locale: 'en' })).toEqual({ done: true });
    const first = step(await signIn(), 'mfa');
    expect(first.methods).toEqual(['email', 'webauthn']);
    expect(first.method).toBe('email');
    expect(await pool.passkeys.mfaOptions({ step: first })).toMatchObject({ error: 'wrong_step' });
    expect(await pool.passkeys.answer({ step: first, response: {} })).toMatchObject({ error: 'wrong_step' });
    const byKey = step(await pool.mfa.choose({ step: first, method: 'webauthn', locale: 'en', ip: '203.0.113.7' }), 'mfa');
    expect(await pool.mfa.answerCode({ step: byKey, code: '123456' })).toMatchObject({ error: 'wrong_step' });
    const options = ok(await pool.passkeys.mfaOptions({ step: byKey })) as PublicKeyCredentialRequestOptionsJSON;
    // Bob's passkey, even answering Alice's challenge, is not Alice's second factor.
    expect(await pool.passkeys.answer({ step: byKey, response: bobs.authenticate(options, { credentialId: bobs.held.length ? Buffer.from(bobs.held[0].id).toString('base64url') : undefined }) })).toMatchObject({ error: 'passkey_failed' });
    // Another attempt's challenge does not count.
    const other = step(await pool.mfa.choose({ step: step(await signIn(), 'mfa'), method: 'webauthn', locale: 'en', ip: '203.0.113.7' }), 'mfa');
    const otherOptions = ok(await pool.passkeys.mfaOptions({ step: other })) as PublicKeyCredentialRequestOptionsJSON;
    expect(await pool.passkeys.answer({ step: byKey, response: mine.authenticate(otherOptions) })).toMatchObject({ error: 'passkey_failed' });
    expect(await pool.passkeys.answer({ step: byKey, response: mine.authenticate(ok(await pool.passkeys.mfaOptions({ step: byKey })) as PublicKeyCredentialRequestOptionsJSON) })).toEqual({
      done: { userId: alice, amr: ['pwd', 'hwk', 'mfa'] },
    });
    expect(step(await signIn(), 'mfa').method).toBe('webauthn');
  });

  it('REQUIRED enrolment: a passkey during sign-in, then recovery codes, then the sign-in finishes', async () => {
    const { pool, id, signIn } = await setup({ mode: 'REQUIRED', factors: ['webauthn'] });
    const alice = await id('alice');
    const setupStep = step(await signIn(), 'passkey-setup');
    expect(setupStep).toEqual({ step: 'passkey-setup', userId: alice, amr: ['pwd'] });
    expect(await pool.mfa.switchEnrolment({ step: setupStep, to: 'totp' })).toMatchObject({ error: 'wrong_step' });
    const key = new SoftAuthenticator(ORIGIN, { backupEligible: true });
    const options = ok(await pool.passkeys.enrolOptions({ step: setupStep })) as PublicKeyCredentialCreationOptionsJSON;
    const codes = step(await pool.passkeys.enrol({ step: setupStep, response: JSON.stringify(key.register(options)), name: 'Phone' }), 'recovery-codes');
    expect(codes.codes).toHaveLength(10);
    expect(codes.amr).toEqual(['pwd', 'swk', 'mfa']);
    await pool.flow.save({ uid: 'shown', step: codes });
    expect(await pool.mfa.acknowledgeRecoveryCodes({ uid: 'shown' })).toEqual({ done: { userId: alice, amr: ['pwd', 'swk', 'mfa'] } });
    expect(step(await signIn(), 'mfa')).toMatchObject({ methods: ['webauthn'], method: 'webauthn' });
  });

  it('REQUIRED with both factors allowed: the app first, a passkey instead if the user prefers', async () => {
    const { pool, signIn } = await setup({ mode: 'REQUIRED', factors: ['totp', 'webauthn'] });
    const app = step(await signIn(), 'mfa-setup');
    const passkey = step(await pool.mfa.switchEnrolment({ step: app, to: 'webauthn' }), 'passkey-setup');
    const back = step(await pool.mfa.switchEnrolment({ step: passkey, to: 'totp' }), 'mfa-setup');
    expect(back.secret).not.toBe(app.secret);
  });

  it('rename and remove: the owner only; anyone else’s passkey is "not found"', async () => {
    const { pool, id, enrol, db } = await setup();
    const [alice, bob] = [await id('alice'), await id('bob')];
    const { passkey } = ok(await enrol(alice, new SoftAuthenticator(ORIGIN)));
    expect(await pool.passkeys.rename({ userId: bob, id: passkey.id, name: 'Mine now' })).toEqual({ error: 'passkey_not_found' });
    expect(await pool.passkeys.remove({ userId: bob, id: passkey.id })).toEqual({ error: 'passkey_not_found' });
    expect(await pool.passkeys.rename({ userId: alice, id: 'no-such-id', name: 'X' })).toEqual({ error: 'passkey_not_found' });
    expect(await pool.passkeys.rename({ userId: alice, id: passkey.id, name: '\u202eevil' })).toMatchObject({ error: 'invalid_characters', field: 'name' });
    expect(await pool.passkeys.rename({ userId: alice, id: passkey.id, name: ' Work key ' })).toMatchObject({ passkey: { id: passkey.id, name: 'Work key' } });
    expect(await pool.passkeys.list({ userId: bob })).toEqual([]);
    expect(await pool.passkeys.remove({ userId: alice, id: passkey.id })).toMatchObject({ removed: { id: passkey.id, name: 'Work key' } });
    expect(await pool.passkeys.remove({ userId: alice, id: passkey.id })).toEqual({ error: 'passkey_not_found' });
    expect(await pool.passkeys.list({ userId: alice })).toEqual([]);
    const events = await db.kysely.selectFrom('events').select(['type', 'user_id']).orderBy('id').execute();
    expect(events).toEqual([
      { type: 'passkey_registered', user_id: alice },
      { type: 'passkey_removed', user_id: alice },
    ]);
  });

  it('re-authentication outside the flow: bound to what the caller names, this user’s passkeys only', async () => {
    const { pool, id, enrol } = await setup();
    const [alice, bob] = [await id('alice'), await id('bob')];
    const key = new SoftAuthenticator(ORIGIN);
    const { passkey } = ok(await enrol(alice, key));
    const options = ok(await pool.passkeys.authenticationOptions({ binding: 'reauth:session-1', userId: alice })) as PublicKeyCredentialRequestOptionsJSON;
    expect(options.allowCredentials?.map((c) => c.id)).toEqual([passkey.id]);
    const answer = key.authenticate(options);
    expect(await pool.passkeys.verifyAuthentication({ binding: 'reauth:session-2', response: answer, userId: alice })).toMatchObject({ error: 'passkey_failed' });
    const again = key.authenticate(ok(await pool.passkeys.authenticationOptions({ binding: 'reauth:session-1', userId: alice })) as PublicKeyCredentialRequestOptionsJSON);
    expect(await pool.passkeys.verifyAuthentication({ binding: 'reauth:session-1', response: again, userId: bob })).toMatchObject({ error: 'invalid_credentials' });
    const third = key.authenticate(ok(await pool.passkeys.authenticationOptions({ binding: 'reauth:session-1', userId: alice })) as PublicKeyCredentialRequestOptionsJSON);
    expect(await pool.passkeys.verifyAuthentication({ binding: 'reauth:session-1', response: third, userId: alice })).toEqual({ userId: alice, credentialId: passkey.id, kind: 'hwk', userVerified: true });
  });

  it('off unless the pool allows webauthn', async () => {
    const { pool, id } = await setup({ factors: ['totp'] });
    expect(await pool.passkeys.enabled()).toBe(false);
    expect(await pool.passkeys.registrationOptions({ userId: await id('alice') })).toEqual({ error: 'passkey_unavailable' });
    expect(await pool.passkeys.signInOptions({ uid: 'uid' })).toEqual({ error: 'passkey_unavailable' });
  });
});
