'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState, seg, type ConsoleCtx } from '@/app/_lib/console';
import { field } from '@/app/_lib/flow';
import { LIST_FIELDS, type ClientRecord } from './client-fields';

const TEXT_FIELDS = ['client_id', 'client_name', 'token_endpoint_auth_method', 'scope'] as const;
/** The yes/no fields, checkboxes on the form. */
const CHECKBOXES = ['third_party', 'require_mfa'] as const;
const split = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/** The form's fields as typed (to refill the form) and as the API's body (lists split by line; empty text left out). */
function read(data: FormData) {
  const values: Record<string, string> = {};
  const body: Record<string, unknown> = {};
  for (const name of TEXT_FIELDS) {
    values[name] = field(data, name);
    if (values[name].trim()) body[name] = values[name].trim();
  }
  for (const name of LIST_FIELDS) {
    values[name] = field(data, name);
    body[name] = split(values[name]);
  }
  for (const name of CHECKBOXES) {
    values[name] = data.get(name) === 'on' ? 'on' : '';
    body[name] = values[name] === 'on';
  }
  // An empty identity-provider list means "the pool's own sign-in": left to the API's default.
  if ((body.supported_identity_providers as string[]).length === 0) delete body.supported_identity_providers;
  return { values, body };
}

function refusedForm(ctx: ConsoleCtx, done: Parameters<typeof problemState>[1], values: Record<string, string>) {
  const { t } = ctx;
  const names = [...TEXT_FIELDS, ...LIST_FIELDS, ...CHECKBOXES] as const;
  // A list's pointer (`/redirect_uris/2`) leads to its field, the whole list.
  const fields = Object.fromEntries(names.map((n) => [`/${n}`, { name: n, label: t(`clients.fields.${n}`) }]));
  return problemState(t, done, fields, values);
}

/**
 * Creates an app client (POST /clients): a confidential one's secret is in this answer only, so it
 * is shown here, once, rather than carried in a URL. A public client goes to its page.
 */
export async function createClientAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { values, body } = read(data);
  const done = await callAdmin(ctx, { method: 'POST', path: '/clients', body });
  if (!done.ok) return refusedForm(ctx, done, values);
  const made = done.body as ClientRecord & { client_secret?: string };
  if (!made.client_secret) redirect(`/${ctx.locale}/admin/clients/${seg(made.client_id)}?notice=created`);
  return { notice: ctx.t('clients.secretOnce', { id: made.client_id, secret: made.client_secret }) };
}

/**
 * Saves a client (PUT /clients/{id}, If-Match the ETag the page showed). The fields the form does
 * not edit (token validity, theme) are kept from the stored client.
 */
export async function saveClientAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const id = field(data, 'id');
  const { values, body } = read(data);
  const path = `/clients/${seg(id)}`;
  const got = await callAdmin(ctx, { method: 'GET', path });
  if (!got.ok) return refusedForm(ctx, got, values);
  const stored = got.body as ClientRecord;
  const kept = Object.fromEntries(Object.entries(stored).filter(([k]) => !([...TEXT_FIELDS, ...LIST_FIELDS, ...CHECKBOXES] as readonly string[]).includes(k)));
  const done = await callAdmin(ctx, { method: 'PUT', path, body: { ...kept, ...body, client_id: id }, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) return refusedForm(ctx, done, values);
  redirect(`/${ctx.locale}/admin${path}?notice=saved`);
}

/** The confirmed destructive steps: a new secret (shown once, here) or deleting the client. */
export async function clientChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const id = field(data, 'id');
  const op = field(data, 'op');
  const path = `/clients/${seg(id)}`;
  const ifMatch = field(data, 'etag') || undefined;
  if (op === 'rotate') {
    const done = await callAdmin(ctx, { method: 'POST', path: `${path}/secret`, ifMatch });
    if (!done.ok) return problemState(t, done);
    return { notice: t('clients.rotatedOnce', { id, secret: String((done.body as { client_secret?: string }).client_secret ?? '') }) };
  }
  if (op !== 'delete') return problemState(t, { ok: false, status: 400, problem: { kind: 'invalid-request', title: '', errors: [] } });
  const done = await callAdmin(ctx, { method: 'DELETE', path, ifMatch });
  if (!done.ok) return problemState(t, done);
  redirect(`/${ctx.locale}/admin/clients?notice=deleted`);
}
