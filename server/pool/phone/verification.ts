import { checkCode } from '../codes';
import type { PoolContext } from '../context';
import { fail, type PoolError, type PoolErrorCode } from '../errors';
import { code as codeInput, phoneNumber } from '../input';
import { getUserRow, updateUser } from '../users';
import { maskPhone } from './numbers';
import { sendSmsCode } from './send';

/**
 * Proving a phone number, outside any sign-in: used to enrol SMS as a second factor and (later) to
 * change the number in account self-service. The code is bound to the number it was texted to,
 * so a code only ever proves that one number.
 */

type Parsed = { phone: string } | PoolError;

function parsePhone(input: string): Parsed {
  const parsed = phoneNumber.safeParse(input);
  return parsed.success ? { phone: parsed.data } : fail(parsed.error.issues[0].message as PoolErrorCode, { field: 'phone_number' });
}

/** Texts a code to `phone` (E.164; spaces, dots, dashes and brackets are dropped). */
export async function sendPhoneVerification(
  ctx: PoolContext,
  userId: string,
  phone: string,
  opts: { locale: string; ip: string },
): Promise<{ sent: true; phone: string; destination: string } | PoolError> {
  const parsed = parsePhone(phone);
  if ('error' in parsed) return parsed;
  if (!(await getUserRow(ctx, userId))) return fail('session_expired');
  const sent = await sendSmsCode(ctx, {
    userId,
    to: parsed.phone,
    purpose: `verify_phone:${parsed.phone}`,
    quota: 'verify_phone',
    template: 'verifyPhone',
    ...opts,
  });
  if ('error' in sent) return sent;
  return { sent: true, phone: parsed.phone, destination: maskPhone(parsed.phone) };
}

/**
 * The code texted to `phone` makes it the user's verified number (replacing any earlier one).
 * Where phone numbers are sign-in names a verified number stays unique; only the number's owner
 * gets far enough to learn that it is taken.
 */
export async function confirmPhone(ctx: PoolContext, userId: string, phone: string, code: string): Promise<{ verified: true; phone: string } | PoolError> {
  const parsed = parsePhone(phone);
  if ('error' in parsed) return parsed;
  const digits = codeInput.safeParse(code);
  if (!digits.success) return fail('invalid_code', { field: 'code' });
  const wrong = await checkCode(ctx, { userId }, `verify_phone:${parsed.phone}`, digits.data);
  if (wrong !== 'ok') return wrong;
  if ((await ctx.settings()).sign_in_aliases.includes('phone_number')) {
    const other = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('phone_number', '=', parsed.phone)
      .where('phone_number_verified', '=', 1)
      .where('id', '!=', userId)
      .executeTakeFirst();
    if (other) return fail('phone_taken', { field: 'phone_number' });
  }
  await updateUser(ctx, userId, { phone_number: parsed.phone, phone_number_verified: 1 });
  return { verified: true, phone: parsed.phone };
}
