import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { maskEmail } from './flow';
import { sendCode } from './messages';
import { maskPhone } from './phone/numbers';
import { sendSmsCode } from './phone/send';
import type { UserRow } from './users';

type Destination = Pick<UserRow, 'id' | 'email' | 'phone_number'>;

/**
 * A new account is confirmed through its e-mail when it has one, else by a text to its phone
 * (a phone-only sign-up), which goes through the SMS limits against pumping like every text.
 */
export async function sendConfirmationCode(ctx: PoolContext, user: Destination, o: { locale: string; ip: string }): Promise<{ sent: true } | PoolError> {
  if (user.email) return sendCode(ctx, user, 'confirm_sign_up', o.locale);
  if (!user.phone_number) return fail('no_destination');
  return sendSmsCode(ctx, { userId: user.id, to: user.phone_number, purpose: 'confirm_sign_up', quota: 'confirm_sign_up', template: 'confirmSignUp', ...o });
}

/** Where the confirmation code went, masked, as the confirm screen shows it. */
export function confirmationDestination(user: { email: string | null; phoneNumber: string | null }): string | null {
  if (user.email) return maskEmail(user.email);
  return user.phoneNumber ? maskPhone(user.phoneNumber) : null;
}
