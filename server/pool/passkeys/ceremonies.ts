import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { fail, type PoolError } from '../errors';
import { getUserRow } from '../users';
import { keepChallenge, takeChallenge } from './challenges';
import { credentialRows, findCredential, insertCredential, recordUse, toPasskey, type Passkey } from './credentials';
import type { PasskeyContext } from './relying-party';
import { parseAuthentication, parseRegistration, passkeyName } from './responses';

/** How long the browser waits for the person; the stored challenge lives a little longer. */
const CEREMONY_TIMEOUT_MS = 3 * 60_000;

/** hwk: bound to one authenticator (RFC 8176 "hardware-secured key"); swk: a synced passkey. */
export type PasskeyKind = 'hwk' | 'swk';
const kindOf = (deviceType: 'singleDevice' | 'multiDevice'): PasskeyKind => (deviceType === 'singleDevice' ? 'hwk' : 'swk');

export async function passkeysEnabled(ctx: PasskeyContext): Promise<boolean> {
  return (await ctx.settings()).mfa.factors.includes('webauthn');
}

/** The user handle the authenticator keeps is the user's `sub` (a UUID, no personal data). */
const userHandle = (userId: string) => isoUint8Array.fromUTF8String(userId);

const registrationBinding = (userId: string) => `user:${userId}`;

/**
 * Options for navigator.credentials.create(). The user's own credentials are excluded, so one
 * authenticator is not registered twice; discoverable credentials and user verification are
 * preferred (a passkey then signs in alone and counts as two factors).
 */
export async function registrationOptions(ctx: PasskeyContext, userId: string): Promise<PublicKeyCredentialCreationOptionsJSON | PoolError> {
  if (!(await passkeysEnabled(ctx))) return fail('passkey_unavailable');
  const user = await getUserRow(ctx, userId);
  if (!user) return fail('session_expired');
  const settings = await ctx.settings();
  const byName = settings.sign_in_aliases.includes('username') || !user.email;
  const options = await generateRegistrationOptions({
    rpName: settings.name,
    rpID: ctx.rp.id,
    userName: byName ? user.username : (user.email ?? user.username),
    userDisplayName: user.email ?? user.username,
    userID: userHandle(user.id),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: (await credentialRows(ctx, userId)).map((c) => ({ id: c.id, transports: JSON.parse(c.transports) as string[] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keepChallenge(ctx, registrationBinding(userId), 'registration', options.challenge);
  return options;
}

/** The library throws on every refusal (wrong origin, counter, signature…); they are all one answer here. */
async function refusedAsUndefined<T>(verification: Promise<T>): Promise<T | undefined> {
  try {
    return await verification;
  } catch {
    return undefined;
  }
}

function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const c = decodeClientDataJSON(clientDataJSON).challenge;
    return typeof c === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies the browser's answer to registrationOptions() and stores the credential under the
 * name the user chose. Fails unless the challenge is this user's, live and unused, the origin
 * and RP ID are ours, and the attestation is sound.
 */
export async function registerPasskey(
  ctx: PasskeyContext,
  userId: string,
  input: unknown,
  name: string,
): Promise<{ passkey: Passkey; kind: PasskeyKind; userVerified: boolean } | PoolError> {
  const named = passkeyName.safeParse(name);
  if (!named.success) return fail(named.error.issues[0].message as 'required', { field: 'name' });
  const response = parseRegistration(input);
  const challenge = response && challengeOf(response.response.clientDataJSON);
  if (!response || !challenge) return fail('passkey_failed');
  if (!(await takeChallenge(ctx, registrationBinding(userId), 'registration', challenge))) return fail('passkey_failed');
  const verified = await refusedAsUndefined(
    verifyRegistrationResponse({ response, expectedChallenge: challenge, expectedOrigin: ctx.rp.origin, expectedRPID: ctx.rp.id, requireUserVerification: false }),
  );
  if (!verified?.verified || verified.registrationInfo.credential.id !== response.id) return fail('passkey_failed');
  const info = verified.registrationInfo;
  const row = {
    id: info.credential.id,
    user_id: userId,
    public_key: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    transports: JSON.stringify(response.response.transports ?? []),
    device_type: info.credentialDeviceType,
    backed_up: info.credentialBackedUp ? 1 : 0,
    aaguid: info.aaguid,
    name: named.data,
    created_at: ctx.now(),
    last_used_at: null,
  };
  if (!(await insertCredential(ctx, row))) return fail('passkey_exists');
  await ctx.db.insertInto('events').values({ type: 'passkey_registered', user_id: userId, ip: null, detail: JSON.stringify({ id: row.id, name: row.name }), created_at: ctx.now() }).execute();
  return { passkey: toPasskey(row), kind: kindOf(info.credentialDeviceType), userVerified: info.userVerified };
}

/**
 * Options for navigator.credentials.get(), bound to `binding` (a sign-in attempt, a session).
 * With a user, only their credentials are allowed; without one, the browser offers any
 * discoverable credential for this site (passkey sign-in, autofill).
 */
export async function authenticationOptions(ctx: PasskeyContext, binding: string, userId?: string): Promise<PublicKeyCredentialRequestOptionsJSON | PoolError> {
  if (!(await passkeysEnabled(ctx))) return fail('passkey_unavailable');
  const allow = userId ? (await credentialRows(ctx, userId)).map((c) => ({ id: c.id, transports: JSON.parse(c.transports) as string[] })) : [];
  const options = await generateAuthenticationOptions({ rpID: ctx.rp.id, allowCredentials: allow, userVerification: 'preferred', timeout: CEREMONY_TIMEOUT_MS });
  await keepChallenge(ctx, binding, 'authentication', options.challenge);
  return options;
}

export interface Assertion {
  userId: string;
  credentialId: string;
  kind: PasskeyKind;
  /** The authenticator checked the person (PIN, biometrics): the passkey is two factors alone. */
  userVerified: boolean;
}

/**
 * Checks an assertion against the challenge kept for `binding`. A credential nobody registered
 * (or, with `userId`, someone else's) is `invalid_credentials`, the answer to a wrong password;
 * a spent or expired challenge, a foreign origin or RP ID, a bad signature or a signature counter
 * that went backwards is `passkey_failed`.
 */
export async function verifyAssertion(ctx: PasskeyContext, binding: string, input: unknown, userId?: string): Promise<Assertion | PoolError> {
  if (!(await passkeysEnabled(ctx))) return fail('passkey_unavailable');
  const response = parseAuthentication(input);
  const challenge = response && challengeOf(response.response.clientDataJSON);
  if (!response || !challenge) return fail('passkey_failed');
  // Spent first, whatever follows: a challenge never answers twice.
  const live = await takeChallenge(ctx, binding, 'authentication', challenge);
  const row = await findCredential(ctx, response.id);
  if (!row || (userId !== undefined && row.user_id !== userId)) return fail('invalid_credentials');
  const handle = response.response.userHandle;
  if (handle && Buffer.from(handle, 'base64url').toString('utf8') !== row.user_id) return fail('invalid_credentials');
  if (!live) return fail('passkey_failed');
  const credential = { id: row.id, publicKey: isoBase64URL.toBuffer(row.public_key), counter: Number(row.counter), transports: JSON.parse(row.transports) as string[] };
  const verified = await refusedAsUndefined(
    verifyAuthenticationResponse({ response, expectedChallenge: challenge, expectedOrigin: ctx.rp.origin, expectedRPID: ctx.rp.id, credential, requireUserVerification: false }),
  );
  if (!verified?.verified) return fail('passkey_failed');
  const info = verified.authenticationInfo;
  if (!(await recordUse(ctx, row, { counter: info.newCounter, backedUp: info.credentialBackedUp }))) return fail('passkey_failed');
  return { userId: row.user_id, credentialId: row.id, kind: kindOf(info.credentialDeviceType), userVerified: info.userVerified };
}
