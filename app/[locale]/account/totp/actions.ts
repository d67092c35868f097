'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { accountAction, isAccountCtx } from '@/app/_lib/account';
import { errorState, field } from '@/app/_lib/flow';
import { input } from '@/server/pool';

/** The first code from the app turns the factor on; first-time users then see recovery codes. */
export async function confirmTotpAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await accountAction(data, { recent: '/totp' });
  if (!isAccountCtx(ctx)) return ctx;
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const done = await ctx.rt.pool.account.confirmTotpSetup({ userId: ctx.session.userId, sessionId: ctx.session.id, sealed: ctx.session.pendingTotp, code: code.data, locale: ctx.locale });
  if ('error' in done) return errorState(ctx.t, done);
  if (done.recoveryCodes) {
    await ctx.rt.pool.account.sessions.reveal({ id: ctx.session.id, value: JSON.stringify(done.recoveryCodes) });
    redirect(`/${ctx.locale}/account/recovery-codes`);
  }
  redirect(`/${ctx.locale}/account?notice=totp_added`);
}
