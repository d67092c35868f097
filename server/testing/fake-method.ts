import type { Method } from '../pool';

/**
 * A method the pool does not ship, registered by tests to show that a method is one entry: a PIN
 * (RFC 8176's `pin`) that the listed users hold, until it is removed. It borrows the password's texts (a test adds no
 * strings to the catalogues).
 * Its enrolment step is the authenticator app's (a test adds no screen), with `FAKE_PIN_SECRET` so
 * a test can tell that it came from here.
 */
export const FAKE_PIN_SECRET = 'PIN'.repeat(10) + 'PI';

export function fakePin(holders: Set<string>, pin: string): Method {
  return {
    use: { first: false, second: true },
    amr: 'pin',
    lock: 'mfa',
    standing: async (_ctx, user) => ({ on: holders.has(user.id) }),
    verify: async (_ctx, _who, answer) => answer === pin,
    enrolStep: (_ctx, userId, amr) => ({ step: 'mfa-setup', userId, amr, secret: FAKE_PIN_SECRET }),
    remove: async (_ctx, userId) => (holders.delete(userId) ? { removed: true } : { error: 'wrong_step' }),
    recoverable: true,
    messages: 'password',
  };
}
