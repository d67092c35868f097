import { removeTotp } from '../account/factors';
import { hasTotp, newTotpSecret, verifyTotp } from '../mfa/totp';
import type { Method } from './method';

/** A code from an authenticator app (RFC 6238), each time step accepted once. */
export const totp: Method = {
  use: { first: false, second: true },
  amr: 'otp',
  lock: 'mfa',
  standing: async (ctx, user, { mfa }) => (mfa.factors.includes('totp') ? { on: await hasTotp(ctx, user.id) } : null),
  verify: (ctx, { userId }, answer) => verifyTotp(ctx, userId, answer),
  enrolStep: (_ctx, userId, amr) => ({ step: 'mfa-setup', userId, amr, secret: newTotpSecret() }),
  remove: (ctx, userId, { locale, keepGrantId }) => removeTotp(ctx, userId, locale, keepGrantId),
  recoverable: true,
  messages: 'totp',
};
