'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { accountAction, isAccountCtx } from '@/app/_lib/account';
import { errorState, field } from '@/app/_lib/flow';
import { input } from '@/server/pool';

/** Step one: a code is texted to the new number (within the SMS limits); the old one stays for now. */
export async function startPhoneChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await accountAction(data, { recent: '/phone' });
  if (!isAccountCtx(ctx)) return ctx;
  const typed = field(data, 'phone_number').slice(0, 32);
  const sent = await ctx.rt.pool.phone.sendVerification({ userId: ctx.session.userId, phone: typed, locale: ctx.locale, ip: ctx.ip });
  if ('error' in sent) return errorState(ctx.t, sent, { phone_number: typed });
  await ctx.rt.pool.account.sessions.setPending({ id: ctx.session.id, what: 'phone', value: sent.phone });
  redirect(`/${ctx.locale}/account/phone`);
}

/** Step two: the texted code proves the number, which becomes the account's. */
export async function confirmPhoneChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await accountAction(data, { recent: '/phone' });
  if (!isAccountCtx(ctx)) return ctx;
  const pending = ctx.session.pendingPhone;
  if (!pending) return errorState(ctx.t, { error: 'wrong_step' });
  if (field(data, 'intent') === 'cancel') {
    await ctx.rt.pool.account.sessions.setPending({ id: ctx.session.id, what: 'phone', value: null });
    redirect(`/${ctx.locale}/account/phone`);
  }
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const done = await ctx.rt.pool.account.confirmPhoneChange({ userId: ctx.session.userId, phone: pending, code: code.data, locale: ctx.locale });
  if ('error' in done) return errorState(ctx.t, done);
  await ctx.rt.pool.account.sessions.setPending({ id: ctx.session.id, what: 'phone', value: null });
  redirect(`/${ctx.locale}/account?notice=phone_changed`);
}
