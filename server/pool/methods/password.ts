import { verifyPassword } from '../passwords/hash';
import { getUserRow } from '../users';
import type { Method } from './method';

/**
 * The password, a first factor. The sign-in screen checks it through sign-in.ts, which also locks
 * names that match no account; `verify` is the same check for a known user.
 */
export const password: Method = {
  use: { first: true, second: false },
  amr: 'pwd',
  lock: 'user',
  standing: async (_ctx, user) => ({ on: user.password_hash !== null }),
  verify: async (ctx, { userId }, answer) => {
    const hash = (await getUserRow(ctx, userId))?.password_hash;
    return hash ? verifyPassword(hash, answer) : false;
  },
  messages: 'password',
};
