'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { readDeviceToken } from '@/app/_lib/device-cookie';
import { actionContext, advance, errorState, field, flowHref, isCtx } from '@/app/_lib/flow';

/** The existing account's password; its second factor follows on the MFA screen, as at sign-in. */
export async function linkAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'link-account');
  if (!isCtx(ctx) || ctx.step.step !== 'link-account') return isCtx(ctx) ? {} : ctx;
  const password = input.password.safeParse(field(data, 'password'));
  if (!password.success) return errorState(ctx.t, { error: password.error.issues[0].message as never, field: 'password' });
  const device = await readDeviceToken();
  const outcome = await ctx.rt.federation.link.proveWithPassword(ctx.uid, ctx.step, { password: password.data, ip: ctx.ip, locale: ctx.locale, device });
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}

/** Not this account: nothing is linked, and the sign-in starts over with every option. */
export async function cancelLinkAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'link-account');
  if (!isCtx(ctx)) return ctx;
  await ctx.rt.federation.link.cancel(ctx.uid);
  await ctx.rt.pool.flow.end(ctx.uid);
  redirect(flowHref(ctx.locale, 'login', ctx.uid));
}
