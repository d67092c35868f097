'use server';

import type { FormState } from '@/components/FlowForm';
import { anyStep, input } from '@/server/pool';
import { cognitoAllowed } from '@/app/_lib/federation';
import { actionContext, actOn, errorState, field, isCtx } from '@/app/_lib/flow';

export async function forgotAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  if (!(await cognitoAllowed(ctx.rt, ctx.view.clientId))) return errorState(ctx.t, { error: 'wrong_step' });
  const values = { identifier: field(data, 'identifier').slice(0, 254) };
  const identifier = input.safeText(254).refine((s) => s.length > 0, 'required').safeParse(field(data, 'identifier'));
  if (!identifier.success) return errorState(ctx.t, { error: identifier.error.issues[0].message as never, field: 'identifier' }, values);
  return actOn(ctx, anyStep, (_step, pool) => pool.forgotPassword({ identifier: identifier.data, ip: ctx.ip, locale: ctx.locale }), { values });
}
