import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import { guarded } from '../attempts';
import { forgetDevices } from '../mfa/devices';
import { queueMail } from '../messages';
import { hashPassword, verifyPassword } from '../passwords/hash';
import { policyProblem } from '../recovery';
import { revokeEverything } from '../revocation';
import { inTransaction } from '../transaction';
import { getUserRow, updateUser } from '../users';

/**
 * A signed-in user changes their password by giving the current one. Wrong guesses count toward
 * the same lock as sign-in, so a stolen session cannot be used to walk through passwords. Every
 * sign-in of the user then ends; `keepGrantId`: this browser's stays.
 */
export async function changePassword(
  ctx: PoolContext,
  userId: string,
  input: { current: string; next: string; locale: string; keepGrantId?: string },
): Promise<{ changed: true } | PoolError> {
  const row = await getUserRow(ctx, userId);
  if (!row) return fail('session_expired');
  const wrong = await guarded(
    ctx,
    `user:${row.id}`,
    async () => !!row.password_hash && (await verifyPassword(row.password_hash, input.current)),
    fail('wrong_password', { field: 'current_password' }),
  );
  if (wrong) return wrong;
  const problem = await policyProblem(ctx, input.next, row);
  if (problem) return { ...problem, field: 'new_password' };
  if (input.next === input.current) return fail('password_unchanged', { field: 'new_password' });
  const passwordHash = await hashPassword(input.next);
  await inTransaction(ctx, async (tx) => {
    await updateUser(tx, row.id, { password_hash: passwordHash });
    await forgetDevices(tx, row.id);
    await revokeEverything(tx, row.id, { keepGrantId: input.keepGrantId });
    if (row.email) await queueMail(tx, row.email, { kind: 'passwordChanged' }, input.locale);
  });
  return { changed: true };
}
