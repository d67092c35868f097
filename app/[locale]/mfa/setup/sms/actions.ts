'use server';

import type { FormState } from '@/components/FlowForm';
import { actionContext, actOn, errorState, field, isCtx } from '@/app/_lib/flow';

/** The number to enrol: a code is texted to it (within the anti-pumping limits). */
export async function smsSetupNumberAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const values = { phone_number: field(data, 'phone_number').slice(0, 32) };
  return actOn(ctx, 'mfa-setup-sms', (step, pool) => pool.mfa.sendSetupSms({ step, phone: field(data, 'phone_number'), locale: ctx.locale, ip: ctx.ip }), { values });
}

/** The texted code (verify), another code (resend) or back to the number (change). */
export async function smsSetupCodeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const intent = field(data, 'intent');
  if (intent === 'change') return actOn(ctx, 'mfa-setup-sms', async (step, pool) => pool.mfa.changeSetupPhone({ step }));
  if (intent === 'resend') {
    const sent = await ctx.rt.pool.flow.run({
      uid: ctx.uid,
      clientId: ctx.view.clientId,
      expect: 'mfa-setup-sms',
      run: (step, pool) => pool.mfa.resendSetupSms({ uid: ctx.uid, step, locale: ctx.locale, ip: ctx.ip }),
    });
    return 'error' in sent ? errorState(ctx.t, sent) : { notice: ctx.t('smsSetup.resent') };
  }
  return actOn(ctx, 'mfa-setup-sms', (step, pool) => pool.mfa.enrolSms({ step, code: field(data, 'code') }));
}
