import { consumeCode } from '../codes';
import { codesStanding } from '../mfa/opt-in';
import { sendMfaSms, smsSetupStep } from '../mfa/sms';
import { maskPhone } from '../phone/numbers';
import type { Method } from './method';

/** A code texted to the user's verified phone number for this sign-in attempt (limits in mfa/sms.ts). */
export const smsCode: Method = {
  use: { first: 'sms_otp', second: true },
  sends: { proof: 'code', channel: 'sms', amr: ['sms'], address: (user) => (user.phone_number_verified === 1 ? user.phone_number : null) },
  amr: 'sms',
  lock: 'mfa',
  standing: (ctx, user, { mfa }) =>
    codesStanding(ctx, user.id, 'sms', mfa, user.phone_number && user.phone_number_verified === 1 ? maskPhone(user.phone_number) : null),
  challenge: (ctx, step, opts) => sendMfaSms(ctx, step, opts),
  verify: async (ctx, { userId, attempt }, answer) => (await consumeCode(ctx, userId, `mfa_sms:${attempt}`, answer)) === 'ok',
  enrolStep: (_ctx, userId, amr) => smsSetupStep(userId, amr),
  recoverable: true,
  messages: 'sms',
};
