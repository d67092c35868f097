import { consumeCode } from '../codes';
import { mailCode } from '../messages';
import { codesStanding } from '../mfa/opt-in';
import { codeLimits, hit } from '../rate-limit';
import { getUserRow } from '../users';
import type { Method } from './method';

const EMAIL_CODE_TTL_MS = 5 * 60_000;

/**
 * A code mailed to the user's verified address for this sign-in attempt only, valid 5 minutes,
 * within the per-user send quota.
 */
export const emailCode: Method = {
  use: { first: 'email_otp', second: true },
  sends: { proof: 'code', channel: 'email', amr: ['otp', 'email'], address: (user) => (user.email_verified === 1 ? user.email : null) },
  amr: 'otp',
  lock: 'mfa',
  standing: (ctx, user, { mfa }) => codesStanding(ctx, user.id, 'email', mfa, user.email_verified === 1 ? user.email : null),
  challenge: async (ctx, step, { locale }) => {
    const user = await getUserRow(ctx, step.userId);
    if (!user?.email) return { sent: true };
    // Over the quota nothing is sent, and the screen says the same: a code may be on its way.
    const quota = await hit(ctx, `send:mfa_email:${step.userId}`, codeLimits.sendsPerUser);
    if (quota.allowed) await mailCode(ctx, { userId: step.userId, purpose: `mfa_email:${step.attempt}`, to: user.email, kind: 'mfaEmailCode', locale, ttlMs: EMAIL_CODE_TTL_MS });
    return { sent: true };
  },
  verify: async (ctx, { userId, attempt }, answer) => (await consumeCode(ctx, userId, `mfa_email:${attempt}`, answer)) === 'ok',
  messages: 'email',
};
