'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState, seg, type ConsoleCtx } from '@/app/_lib/console';
import { field } from '@/app/_lib/flow';
import { isUserOp, userOps } from './user-ops';

async function userCtx(data: FormData): Promise<{ ctx: ConsoleCtx; username: string; etag: string | undefined; base: string } | FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const username = field(data, 'username');
  const etag = field(data, 'etag') || undefined;
  return { ctx, username, etag, base: `/${ctx.locale}/admin/users/${seg(username)}` };
}

/** One of `ops` on the user, with the ETag the page showed (a change since then is refused, 412). */
export async function userOpAction(_prev: FormState, data: FormData): Promise<FormState> {
  const u = await userCtx(data);
  if (!('ctx' in u)) return u;
  const op = field(data, 'op');
  if (!isUserOp(op)) return problemState(u.ctx.t, { ok: false, status: 400, problem: { kind: 'invalid-request', title: '', errors: [] } });
  const { method, sub, notice } = userOps[op];
  const done = await callAdmin(u.ctx, { method, path: `/users/${seg(u.username)}${sub}`, ifMatch: u.etag });
  if (!done.ok) return problemState(u.ctx.t, done);
  redirect(op === 'delete' ? `/${u.ctx.locale}/admin/users?notice=deleted` : `${u.base}?notice=${notice}`);
}

/** Sets a password (permanent, or temporary: changed at the next sign-in). */
export async function setPasswordAction(_prev: FormState, data: FormData): Promise<FormState> {
  const u = await userCtx(data);
  if (!('ctx' in u)) return u;
  const { t } = u.ctx;
  const done = await callAdmin(u.ctx, {
    method: 'POST',
    path: `/users/${seg(u.username)}/password`,
    body: { password: field(data, 'password'), permanent: data.get('permanent') === 'on' },
    ifMatch: u.etag,
  });
  if (!done.ok) return problemState(t, done, { '/password': { name: 'password', label: t('user.newPassword') } }, { permanent: data.get('permanent') === 'on' ? 'on' : '' });
  redirect(`${u.base}?notice=password_set`);
}

/** Sets one attribute (PATCH, merged); an empty value removes it. */
export async function setAttributeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const u = await userCtx(data);
  if (!('ctx' in u)) return u;
  const { t } = u.ctx;
  const name = field(data, 'name').trim();
  const value = field(data, 'value');
  // The pool's own fields have their own keys in the patch; anything else is an attribute.
  const own = ['email', 'phone_number'];
  const body = own.includes(name) ? { [name]: value || null } : { attributes: { [name]: value || null } };
  const done = await callAdmin(u.ctx, { method: 'PATCH', path: `/users/${seg(u.username)}`, body, ifMatch: u.etag });
  if (!done.ok) {
    const label = { name: 'value', label: t('users.value') };
    return problemState(t, done, { [`/attributes/${name}`]: label, '/email': label, '/phone_number': label, '/attributes': { name: 'name', label: t('user.attribute') } }, { name, value });
  }
  redirect(`${u.base}?notice=attribute_set`);
}
