'use server';

import type { FormState } from '@/components/FlowForm';
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
