'use server';

import type { FormState } from '@/components/FlowForm';
import type { FlowStep } from '@/server/pool';
import { actionContext, advance, errorState, field, isCtx } from '@/app/_lib/flow';

type SmsSetupStep = Extract<FlowStep, { step: 'mfa-setup-sms' }>;

/** Every action of the text-message setup screen runs at that step only. */
async function smsSetupContext(data: FormData) {
  const ctx = await actionContext(data, 'mfa-setup-sms');
  if (!isCtx(ctx)) return { state: ctx };
  if (ctx.step.step !== 'mfa-setup-sms') return { state: {} };
  return { ctx, step: ctx.step as SmsSetupStep };
}

/** The number to enrol: a code is texted to it (within the anti-pumping limits). */
export async function smsSetupNumberAction(_prev: FormState, data: FormData): Promise<FormState> {
  const { ctx, step, state } = await smsSetupContext(data);
  if (!ctx) return state;
  const values = { phone_number: field(data, 'phone_number').slice(0, 32) };
  const outcome = await ctx.rt.pool.mfa.sendSetupSms(step, field(data, 'phone_number'), { locale: ctx.locale, ip: ctx.ip });
  if ('error' in outcome) return errorState(ctx.t, outcome, values);
  return advance(ctx, outcome);
}

/** The texted code (verify), another code (resend) or back to the number (change). */
export async function smsSetupCodeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const { ctx, step, state } = await smsSetupContext(data);
  if (!ctx) return state;
  const intent = field(data, 'intent');
  if (intent === 'change') return advance(ctx, ctx.rt.pool.mfa.changeSetupPhone(step));
  if (intent === 'resend') {
    const sent = await ctx.rt.pool.mfa.resendSetupSms(ctx.uid, step, { locale: ctx.locale, ip: ctx.ip });
    return 'error' in sent ? errorState(ctx.t, sent) : { notice: ctx.t('smsSetup.resent') };
  }
  const outcome = await ctx.rt.pool.mfa.enrolSms(step, field(data, 'code'));
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}

/** From the text-message setup to the authenticator-app setup. */
export async function switchToTotpSetupAction(_prev: FormState, data: FormData): Promise<FormState> {
  const { ctx, step, state } = await smsSetupContext(data);
  if (!ctx) return state;
  const outcome = await ctx.rt.pool.mfa.switchSetup(step, 'totp');
  return 'error' in outcome ? errorState(ctx.t, outcome) : advance(ctx, outcome);
}

/** From the authenticator-app setup to the text-message setup. */
export async function switchToSmsSetupAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'mfa-setup');
  if (!isCtx(ctx) || ctx.step.step !== 'mfa-setup') return isCtx(ctx) ? {} : ctx;
  const outcome = await ctx.rt.pool.mfa.switchSetup(ctx.step, 'sms');
  return 'error' in outcome ? errorState(ctx.t, outcome) : advance(ctx, outcome);
}
