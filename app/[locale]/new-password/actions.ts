'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { actionContext, actOn, errorState, field, isCtx } from '@/app/_lib/flow';

export async function newPasswordAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const password = input.password.safeParse(field(data, 'password'));
  if (!password.success) return errorState(ctx.t, { error: password.error.issues[0].message as never, field: 'password' });
  return actOn(ctx, 'new-password', (step, pool) => pool.completeNewPassword({ step, password: password.data, locale: ctx.locale, ip: ctx.ip }));
}
