'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { accountAction, isAccountCtx } from '@/app/_lib/account';
import { errorState, field } from '@/app/_lib/flow';
import { input } from '@/server/pool';

/** Asks for the current password; on success every other browser is signed out. */
export async function changePasswordAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await accountAction(data);
  if (!isAccountCtx(ctx)) return ctx;
  const current = input.password.safeParse(field(data, 'current_password'));
  const next = input.password.safeParse(field(data, 'new_password'));
  if (!current.success) return errorState(ctx.t, { error: 'wrong_password', field: 'current_password' });
  if (!next.success) return errorState(ctx.t, { error: 'invalid_input', field: 'new_password' });
  // Every other browser, app and token of the user ends; this browser stays signed in.
  const done = await ctx.rt.pool.account.changePassword({ userId: ctx.session.userId, current: current.data, next: next.data, locale: ctx.locale, keepGrantId: ctx.session.grantId });
  if ('error' in done) return errorState(ctx.t, done);
  redirect(`/${ctx.locale}/account?notice=password_changed`);
}
