'use server';

import type { FormState } from '@/components/FlowForm';
import { anyStep } from '@/server/pool';
import { readDeviceToken } from '@/app/_lib/device-cookie';
import { passkeyAnswer, passkeyOptions } from '@/app/_lib/passkeys';

/** Options for a passkey sign-in (the button, or the browser's autofill), bound to this attempt. */
export async function passkeySignInOptionsAction(data: FormData) {
  return passkeyOptions(data, anyStep, (_step, pool, ctx) => pool.passkeys.signInOptions({ uid: ctx.uid }));
}

/** Passwordless: the passkey's assertion is the first factor (and the second, when it verified the person). */
export async function passkeySignInAction(_prev: FormState, data: FormData): Promise<FormState> {
  const device = await readDeviceToken();
  return passkeyAnswer(data, anyStep, (_step, pool, ctx, response) => pool.passkeys.signIn({ uid: ctx.uid, response, ip: ctx.ip, locale: ctx.locale, device }));
}
