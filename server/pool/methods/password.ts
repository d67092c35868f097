import type { Method } from './method';

/**
 * The password, a first factor. It has no `verify` here: the sign-in screen checks it through
 * sign-in.ts, under the same `user:<id>` lock, because that check also locks names that match no
 * account (and so reveals nothing about which exist).
 */
export const password: Method = {
  use: { first: 'password', second: false },
  amr: 'pwd',
  lock: 'user',
  standing: async (_ctx, user) => ({ on: user.password_hash !== null }),
  messages: 'password',
};
