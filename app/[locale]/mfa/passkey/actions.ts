'use server';

import type { FormState } from '@/components/FlowForm';
import { actionContext, actOn, isCtx } from '@/app/_lib/flow';
import { passkeyAnswer, passkeyOptions } from '@/app/_lib/passkeys';

/** Enrolment forced by the pool's policy: options to create this user's first passkey. */
export async function passkeyEnrolOptionsAction(data: FormData) {
  return passkeyOptions(data, 'passkey-setup', (step, pool) => pool.passkeys.enrolOptions({ step }));
}

/** The new passkey, under the name the user gave it; recovery codes come next. */
export async function passkeyEnrolAction(_prev: FormState, data: FormData): Promise<FormState> {
  const name = data.get('name');
  return passkeyAnswer(data, 'passkey-setup', (step, pool, _ctx, response) => pool.passkeys.enrol({ step, response, name: typeof name === 'string' ? name : '' }));
}

/** Between the app's and the passkey's enrolment screens (plain forms: work without JavaScript). */
async function switchTo(data: FormData, from: 'mfa-setup' | 'passkey-setup', to: 'totp' | 'webauthn'): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  return actOn(ctx, from, (step, pool) => pool.passkeys.switchEnrolment({ step, to }));
}

export async function passkeyInsteadAction(_prev: FormState, data: FormData): Promise<FormState> {
  return switchTo(data, 'mfa-setup', 'webauthn');
}

export async function appInsteadAction(_prev: FormState, data: FormData): Promise<FormState> {
  return switchTo(data, 'passkey-setup', 'totp');
}
