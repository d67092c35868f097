import { guarded } from '../attempts';
import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import { lockKey, methodOf } from './method';

/**
 * The one way a typed answer to a method is checked: through attempts.ts under the method's lock
 * (`mfa:<userId>` for every second factor), so wrong answers to any of them count toward one
 * lock, atomically. `check` replaces the method's own when the answer is checked another way
 * (the first code of an enrolment). A right answer adds the method's `amr` and `mfa` to `amr`.
 */
export async function verifyMethod(
  ctx: PoolContext,
  kind: string,
  who: { userId: string; attempt: string },
  answer: string,
  opts: { amr: string[]; field?: string; check?: () => Promise<boolean> },
): Promise<{ amr: string[] } | PoolError> {
  const method = methodOf(ctx.methods, kind);
  const check = opts.check ?? (method?.verify ? () => method.verify!(ctx, who, answer) : null);
  if (!method || !check) return fail('wrong_step');
  const wrong = await guarded(ctx, lockKey(method, who.userId), check, fail('invalid_code', { field: opts.field ?? 'code' }));
  return wrong ?? { amr: [...new Set([...opts.amr, ...(method.amr ? [method.amr] : []), 'mfa'])] };
}
