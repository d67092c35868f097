'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { actionContext, advance, errorState, field, isCtx } from '@/app/_lib/flow';

export async function confirmAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'confirm-account');
  if (!isCtx(ctx) || ctx.step.step !== 'confirm-account') return isCtx(ctx) ? {} : ctx;
  if (field(data, 'intent') === 'resend') {
    const sent = await ctx.rt.pool.resendCode(ctx.uid, ctx.step, ctx.locale);
    return 'error' in sent ? errorState(ctx.t, sent) : { notice: ctx.t('confirm.resent') };
  }
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const outcome = await ctx.rt.pool.confirmAccount(ctx.step, code.data, ctx.locale, ctx.ip);
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}
