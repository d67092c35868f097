'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { accountAction, isAccountCtx } from '@/app/_lib/account';
import { errorState, field } from '@/app/_lib/flow';
import { input } from '@/server/pool';

/** Step one: a code goes to the new address; the old one stays until the code comes back. */
export async function startEmailChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await accountAction(data, { recent: '/email' });
  if (!isAccountCtx(ctx)) return ctx;
  const email = input.email.safeParse(field(data, 'email'));
  if (!email.success) return errorState(ctx.t, { error: 'invalid_email', field: 'email' }, { email: field(data, 'email').slice(0, 254) });
  const sent = await ctx.rt.pool.account.startEmailChange({ userId: ctx.session.userId, email: email.data, locale: ctx.locale });
  if ('error' in sent) return errorState(ctx.t, sent, { email: email.data });
  await ctx.rt.pool.account.sessions.setPending({ id: ctx.session.id, what: 'email', value: email.data });
  redirect(`/${ctx.locale}/account/email?notice=code_sent`);
}

/** Step two: the code proves the new address; it replaces the old one, which is told. */
export async function confirmEmailChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await accountAction(data, { recent: '/email' });
  if (!isAccountCtx(ctx)) return ctx;
  const pending = ctx.session.pendingEmail;
  if (!pending) return errorState(ctx.t, { error: 'wrong_step' });
  if (field(data, 'intent') === 'cancel') {
    await ctx.rt.pool.account.sessions.setPending({ id: ctx.session.id, what: 'email', value: null });
    redirect(`/${ctx.locale}/account/email`);
  }
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const done = await ctx.rt.pool.account.confirmEmailChange({ userId: ctx.session.userId, email: pending, code: code.data, locale: ctx.locale });
  if ('error' in done) return errorState(ctx.t, done);
  await ctx.rt.pool.account.sessions.setPending({ id: ctx.session.id, what: 'email', value: null });
  redirect(`/${ctx.locale}/account?notice=email_changed`);
}
