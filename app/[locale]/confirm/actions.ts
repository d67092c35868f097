'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { actionContext, actOn, errorState, field, isCtx } from '@/app/_lib/flow';

export async function confirmAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  if (field(data, 'intent') === 'resend') {
    const sent = await ctx.rt.pool.flow.run({
      uid: ctx.uid,
      clientId: ctx.view.clientId,
      expect: 'confirm-account',
      run: (step, pool) => pool.resendCode({ uid: ctx.uid, step, locale: ctx.locale, ip: ctx.ip }),
    });
    return 'error' in sent ? errorState(ctx.t, sent) : { notice: ctx.t('confirm.resent') };
  }
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  return actOn(ctx, 'confirm-account', (step, pool) => pool.confirmAccount({ step, code: code.data, locale: ctx.locale, ip: ctx.ip }));
}
