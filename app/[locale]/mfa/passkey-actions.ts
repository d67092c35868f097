'use server';

import type { FormState } from '@/components/FlowForm';
import { passkeyAnswer, passkeyOptions } from '@/app/_lib/passkeys';

/** The second step by passkey: options bound to this attempt, allowing only this user's passkeys. */
export async function passkeyMfaOptionsAction(data: FormData) {
  return passkeyOptions(data, 'mfa', (ctx) => (ctx.step.step === 'mfa' ? ctx.rt.pool.passkeys.mfaOptions(ctx.step) : Promise.resolve({ error: 'wrong_step' as const })));
}

export async function passkeyMfaAction(_prev: FormState, data: FormData): Promise<FormState> {
  const remember = data.get('remember') === 'on';
  return passkeyAnswer(data, 'mfa', (ctx, response) =>
    ctx.step.step === 'mfa' ? ctx.rt.pool.passkeys.answer(ctx.step, response, remember) : Promise.resolve({ error: 'wrong_step' as const }),
  );
}
