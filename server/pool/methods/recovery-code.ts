import { recoveryCodesLeft, useRecoveryCode as spendRecoveryCode } from '../mfa/recovery-codes';
import type { Method } from './method';

/** A single-use code that stands in for a lost second factor; it adds nothing of its own to `amr`. */
export const recoveryCode: Method = {
  use: { first: false, second: false, backup: true },
  amr: null,
  lock: 'mfa',
  standing: async (ctx, user) => {
    const count = await recoveryCodesLeft(ctx, user.id);
    return { on: count > 0, count };
  },
  verify: async (ctx, { userId }, answer) => (await spendRecoveryCode(ctx, userId, answer)) !== null,
  messages: 'recovery',
};
