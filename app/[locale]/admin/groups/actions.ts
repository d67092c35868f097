'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState, seg } from '@/app/_lib/console';
import { field } from '@/app/_lib/flow';

/** The form's precedence: empty is none; anything else goes to the API's schema as a number, or as typed. */
const precedenceOf = (raw: string): unknown => (raw.trim() === '' ? undefined : /^\d+$/.test(raw.trim()) ? Number(raw) : raw);

/**
 * Creates a group (no ETag: the API refuses a name that exists) or saves one (with the ETag the
 * page showed). PUT /groups/{name}.
 */
export async function saveGroupAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const name = field(data, 'name').trim();
  const description = field(data, 'description');
  const precedence = field(data, 'precedence');
  const etag = field(data, 'etag') || undefined;
  const values = { name, description, precedence };
  if (!name) return problemState(t, { ok: false, status: 400, problem: { kind: 'invalid-request', title: '', errors: [{ pointer: '/name', detail: '', code: 'required', params: {} }] } }, { '/name': { name: 'name', label: t('groups.name') } }, values);
  const body = { ...(description ? { description } : {}), ...(precedenceOf(precedence) !== undefined ? { precedence: precedenceOf(precedence) } : {}) };
  const done = await callAdmin(ctx, { method: 'PUT', path: `/groups/${seg(name)}`, body, ifMatch: etag });
  if (!done.ok) {
    const fields = { '/name': { name: 'name', label: t('groups.name') }, '/description': { name: 'description', label: t('groups.description') }, '/precedence': { name: 'precedence', label: t('groups.precedence') } };
    return problemState(t, done, fields, values);
  }
  redirect(`/${ctx.locale}/admin/groups/${seg(name)}?notice=${etag ? 'saved' : 'created'}`);
}

/** Adds or removes a member (PUT or DELETE /groups/{name}/members/{username}), or deletes the group. */
export async function groupChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const name = field(data, 'name');
  const op = field(data, 'op');
  const username = field(data, 'username').trim();
  const base = `/groups/${seg(name)}`;
  const call =
    op === 'add'
      ? callAdmin(ctx, { method: 'PUT', path: `${base}/members/${seg(username)}` })
      : op === 'remove'
        ? callAdmin(ctx, { method: 'DELETE', path: `${base}/members/${seg(username)}` })
        : op === 'delete'
          ? callAdmin(ctx, { method: 'DELETE', path: base, ifMatch: field(data, 'etag') || undefined })
          : undefined;
  const done = await call;
  if (!done) return problemState(t, { ok: false, status: 400, problem: { kind: 'invalid-request', title: '', errors: [] } });
  if (!done.ok) return problemState(t, done, { '/username': { name: 'username', label: t('groups.username') } }, { username });
  if (op === 'delete') redirect(`/${ctx.locale}/admin/groups?notice=deleted`);
  redirect(`/${ctx.locale}/admin${base}?notice=${op === 'add' ? 'member_added' : 'member_removed'}`);
}
