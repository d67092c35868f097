import { credentialRows } from '../passkeys/credentials';
import { usedPasskey } from '../passkeys/sign-in';
import type { Method } from './method';

/**
 * A passkey or security key (WebAuthn). Its proof is a browser ceremony (passkeys/sign-in.ts),
 * not a typed answer, so it has no `verify`; the ceremony sets `hwk` or `swk` in `amr`.
 */
export const passkey: Method = {
  use: { first: 'passkey', second: true },
  amr: null,
  lock: 'mfa',
  standing: async (ctx, user, { mfa, amr }) => {
    if (!mfa.factors.includes('webauthn')) return null;
    const count = (await credentialRows(ctx, user.id)).length;
    // A passkey that signed in without verifying the person is not asked for again as the second factor.
    return { on: count > 0 && !usedPasskey(amr ?? []), count };
  },
  enrolStep: (_ctx, userId, amr) => ({ step: 'passkey-setup', userId, amr }),
  recoverable: true,
  messages: 'webauthn',
};
