'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { readDeviceToken } from '@/app/_lib/device-cookie';
import { actionContext, actOn, errorState, field, flowHref, isCtx } from '@/app/_lib/flow';

/** The existing account's password; its second factor follows on the MFA screen, as at sign-in. */
export async function linkAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const password = input.password.safeParse(field(data, 'password'));
  if (!password.success) return errorState(ctx.t, { error: password.error.issues[0].message as never, field: 'password' });
  const device = await readDeviceToken();
  return actOn(ctx, 'link-account', (step, pool) =>
    ctx.rt.federation.link.proveWithPassword({ uid: ctx.uid, step, pool, password: password.data, ip: ctx.ip, locale: ctx.locale, device }),
  );
}

/** Not this account: nothing is linked, and the sign-in starts over with every option. */
export async function cancelLinkAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const ended = await ctx.rt.pool.flow.run({ uid: ctx.uid, clientId: ctx.view.clientId, expect: 'link-account', run: async () => ({ next: { step: 'sign-in' } as const }) });
  if ('error' in ended) return errorState(ctx.t, ended);
  await ctx.rt.federation.link.cancel({ uid: ctx.uid });
  redirect(flowHref(ctx.locale, 'login', ctx.uid));
}
