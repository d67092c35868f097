'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { actionContext, actOn, errorState, field, isCtx } from '@/app/_lib/flow';

export async function resetAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  if (field(data, 'intent') === 'resend') {
    const sent = await ctx.rt.pool.flow.run({
      uid: ctx.uid,
      clientId: ctx.view.clientId,
      expect: 'reset-password',
      run: (step, pool) => pool.resendCode({ uid: ctx.uid, step, locale: ctx.locale, ip: ctx.ip }),
    });
    return 'error' in sent && sent.error !== 'no_destination' ? errorState(ctx.t, sent) : { notice: ctx.t('reset.resent') };
  }
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const password = input.password.safeParse(field(data, 'password'));
  if (!password.success) return errorState(ctx.t, { error: password.error.issues[0].message as never, field: 'password' });
  return actOn(ctx, 'reset-password', (step, pool) => pool.resetPassword({ step, code: code.data, password: password.data, locale: ctx.locale }), {
    notice: 'password_changed',
  });
}
