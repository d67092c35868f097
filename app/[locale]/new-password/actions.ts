'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { actionContext, advance, errorState, field, isCtx } from '@/app/_lib/flow';

export async function newPasswordAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'new-password');
  if (!isCtx(ctx) || ctx.step.step !== 'new-password') return isCtx(ctx) ? {} : ctx;
  const password = input.password.safeParse(field(data, 'password'));
  if (!password.success) return errorState(ctx.t, { error: password.error.issues[0].message as never, field: 'password' });
  const outcome = await ctx.rt.pool.completeNewPassword(ctx.step, { password: password.data }, ctx.locale, ctx.ip);
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}
