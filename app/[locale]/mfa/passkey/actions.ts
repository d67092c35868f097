'use server';

import type { FormState } from '@/components/FlowForm';
import { actionContext, advance, errorState, isCtx } from '@/app/_lib/flow';
import { passkeyAnswer, passkeyOptions } from '@/app/_lib/passkeys';

/** Enrolment forced by the pool's policy: options to create this user's first passkey. */
export async function passkeyEnrolOptionsAction(data: FormData) {
  return passkeyOptions(data, 'passkey-setup', (ctx) =>
    ctx.step.step === 'passkey-setup' ? ctx.rt.pool.passkeys.enrolOptions(ctx.step) : Promise.resolve({ error: 'wrong_step' as const }),
  );
}

/** The new passkey, under the name the user gave it; recovery codes come next. */
export async function passkeyEnrolAction(_prev: FormState, data: FormData): Promise<FormState> {
  const name = data.get('name');
  return passkeyAnswer(data, 'passkey-setup', (ctx, response) =>
    ctx.step.step === 'passkey-setup' ? ctx.rt.pool.passkeys.enrol(ctx.step, response, typeof name === 'string' ? name : '') : Promise.resolve({ error: 'wrong_step' as const }),
  );
}

/** Between the app's and the passkey's enrolment screens (plain forms: work without JavaScript). */
async function switchTo(data: FormData, from: 'mfa-setup' | 'passkey-setup', to: 'totp' | 'webauthn'): Promise<FormState> {
  const ctx = await actionContext(data, from);
  if (!isCtx(ctx)) return ctx;
  if (ctx.step.step !== 'mfa-setup' && ctx.step.step !== 'passkey-setup') return errorState(ctx.t, { error: 'wrong_step' });
  const outcome = await ctx.rt.pool.passkeys.switchEnrolment(ctx.step, to);
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}

export async function passkeyInsteadAction(_prev: FormState, data: FormData): Promise<FormState> {
  return switchTo(data, 'mfa-setup', 'webauthn');
}

export async function appInsteadAction(_prev: FormState, data: FormData): Promise<FormState> {
  return switchTo(data, 'passkey-setup', 'totp');
}
