'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState, seg } from '@/app/_lib/console';
import { field } from '@/app/_lib/flow';

const lines = (s: string) => s.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);

/**
 * Creates a resource server (no ETag: the API asks for one when the identifier exists) or saves
 * one (with the ETag the page showed). PUT /resource-servers/{identifier}. A scope line is its
 * name, a space, and its description.
 */
export async function saveResourceServerAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const values = { identifier: field(data, 'identifier').trim(), name: field(data, 'name'), scopes: field(data, 'scopes'), introspection_clients: field(data, 'introspection_clients') };
  const etag = field(data, 'etag') || undefined;
  const scopes = lines(values.scopes).map((l) => {
    const at = l.search(/\s/);
    return at < 0 ? { name: l, description: '' } : { name: l.slice(0, at), description: l.slice(at).trim() };
  });
  const clients = lines(values.introspection_clients);
  const body = { identifier: values.identifier, name: values.name.trim(), scopes, ...(clients.length ? { introspection_clients: clients } : {}) };
  const labels = { identifier: t('resourceServers.fields.identifier'), name: t('resourceServers.fields.name'), scopes: t('resourceServers.fields.scopes'), introspection_clients: t('resourceServers.fields.introspection_clients') };
  if (!values.identifier) return problemState(t, { ok: false, status: 400, problem: { kind: 'invalid-request', title: '', errors: [{ pointer: '/identifier', detail: '', code: 'required', params: {} }] } }, { '/identifier': { name: 'identifier', label: labels.identifier } }, values);
  const done = await callAdmin(ctx, { method: 'PUT', path: `/resource-servers/${seg(values.identifier)}`, body, ifMatch: etag });
  if (!done.ok) {
    // `/scopes/3/name` leads to the scopes field.
    const fields = Object.fromEntries(Object.entries(labels).map(([name, label]) => [`/${name}`, { name, label }]));
    return problemState(t, done, fields, values);
  }
  redirect(`/${ctx.locale}/admin/resource-servers/${seg(values.identifier)}?notice=saved`);
}

/** Deletes a resource server, once confirmed (DELETE, If-Match the ETag the page showed). */
export async function deleteResourceServerAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const done = await callAdmin(ctx, { method: 'DELETE', path: `/resource-servers/${seg(field(data, 'identifier'))}`, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) return problemState(ctx.t, done);
  redirect(`/${ctx.locale}/admin/resource-servers?notice=deleted`);
}
