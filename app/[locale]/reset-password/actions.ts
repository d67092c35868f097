'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { actionContext, advance, errorState, field, isCtx } from '@/app/_lib/flow';

export async function resetAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'reset-password');
  if (!isCtx(ctx) || ctx.step.step !== 'reset-password') return isCtx(ctx) ? {} : ctx;
  if (field(data, 'intent') === 'resend') {
    const sent = await ctx.rt.pool.resendCode(ctx.uid, ctx.step, ctx.locale);
    return 'error' in sent && sent.error !== 'no_destination' ? errorState(ctx.t, sent) : { notice: ctx.t('reset.resent') };
  }
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const password = input.password.safeParse(field(data, 'password'));
  if (!password.success) return errorState(ctx.t, { error: password.error.issues[0].message as never, field: 'password' });
  const outcome = await ctx.rt.pool.resetPassword(ctx.step, { code: code.data, password: password.data, locale: ctx.locale });
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome, 'password_changed');
}
