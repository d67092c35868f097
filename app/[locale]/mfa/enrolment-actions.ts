'use server';

import { z } from 'zod';
import type { FormState } from '@/components/FlowForm';
import { actionContext, actOn, isCtx, refusal } from '@/app/_lib/flow';

/** `from`: the screen the form was on, so a stale screen's form is refused; `to`: the method picked (the pool checks it). */
const switchForm = z.object({ from: z.enum(['mfa-setup', 'mfa-setup-sms', 'passkey-setup']), to: z.string().min(1).max(64) });

/** From one forced-enrolment screen to another method's (a plain form: works without JavaScript). */
export async function switchEnrolmentAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const form = switchForm.safeParse({ from: data.get('from'), to: data.get('to') });
  if (!form.success) return refusal(ctx.t('errors.wrong_step'), 400);
  const { from, to } = form.data;
  return actOn(ctx, from, (step, pool) => pool.mfa.switchEnrolment({ step, to }));
}
