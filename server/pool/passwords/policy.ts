import type { PoolSettings } from '../../config/seed';
import { isCommonPassword } from './common-passwords';
import { normalizePassword } from './hash';

export type PasswordProblem =
  | { code: 'password_too_short'; min: number }
  | { code: 'password_too_long'; max: number }
  | { code: 'password_common' }
  | { code: 'password_contains_username' };

/** NIST 800-63B: length and a breached-password list, no composition rules. */
export function checkPassword(
  password: string,
  policy: PoolSettings['password_policy'],
  context: { username?: string; email?: string } = {},
): PasswordProblem | null {
  const chars = [...normalizePassword(password)].length;
  if (chars < policy.min_length) return { code: 'password_too_short', min: policy.min_length };
  if (chars > policy.max_length) return { code: 'password_too_long', max: policy.max_length };
  if (policy.reject_common && isCommonPassword(password)) return { code: 'password_common' };
  const lower = password.toLowerCase();
  for (const v of [context.username, context.email?.split('@')[0]]) {
    if (v && v.length >= 4 && lower.includes(v.toLowerCase())) return { code: 'password_contains_username' };
  }
  return null;
}
