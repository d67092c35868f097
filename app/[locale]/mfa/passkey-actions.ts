'use server';

import type { FormState } from '@/components/FlowForm';
import { passkeyAnswer, passkeyOptions } from '@/app/_lib/passkeys';

/** The second step by passkey: options bound to this attempt, allowing only this user's passkeys. */
export async function passkeyMfaOptionsAction(data: FormData) {
  return passkeyOptions(data, 'mfa', (step, pool) => pool.passkeys.mfaOptions({ step }));
}

export async function passkeyMfaAction(_prev: FormState, data: FormData): Promise<FormState> {
  const remember = data.get('remember') === 'on';
  return passkeyAnswer(data, 'mfa', (step, pool, _ctx, response) => pool.passkeys.answer({ step, response, remember }));
}
