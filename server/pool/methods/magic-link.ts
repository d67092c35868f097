import type { Method } from './method';

/**
 * A sign-in link mailed to the user's verified address (passwordless.ts, magic-links.ts): a first
 * factor only, usable once, for 10 minutes, in the browser that asked for it. It is nothing a
 * user holds, so the account overview does not list it.
 */
export const magicLink: Method = {
  use: { first: 'magic_link', second: false },
  sends: { proof: 'link', channel: 'email', amr: ['email'], address: (user) => (user.email_verified === 1 ? user.email : null) },
  amr: 'email',
  lock: 'user',
  standing: async () => null,
  messages: 'magicLink',
};
