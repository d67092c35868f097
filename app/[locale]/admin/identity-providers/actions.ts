'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, jsonField, problemState, seg } from '@/app/_lib/console';
import { field, refusal } from '@/app/_lib/flow';
import { IDP_START_PATH } from '@/server/federation';

/**
 * Creates or saves an identity provider given as the config's JSON (PUT /identity-providers/{name},
 * the name read from the JSON; If-Match the ETag the page showed when editing). The API's schema
 * checks it and names the member at fault, as on the policies screen.
 */
export async function saveProviderAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const text = field(data, 'provider');
  const parsed = await jsonField(data, 'provider', t('settings.notJson'));
  if ('refused' in parsed) return parsed.refused;
  const body = parsed.value;
  const whole = { '': { name: 'provider', label: t('providers.json') } };
  const fixed = field(data, 'name');
  const named = body && typeof body === 'object' && typeof (body as { name?: unknown }).name === 'string' ? (body as { name: string }).name : '';
  const name = fixed || named;
  if (!name) return problemState(t, { ok: false, status: 400, problem: { kind: 'invalid-request', title: '', errors: [{ pointer: '/name', detail: '', code: 'required', params: {} }] } }, whole, { provider: text });
  const done = await callAdmin(ctx, { method: 'PUT', path: `/identity-providers/${seg(name)}`, body, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) {
    return problemState(t, done, whole, { provider: text });
  }
  redirect(`/${ctx.locale}/admin/identity-providers/${seg(name)}?notice=saved`);
}

/** Replaces a SAML provider's metadata with an IdP metadata document (POST .../saml-metadata). */
export async function importMetadataAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const name = field(data, 'name');
  const xml = field(data, 'metadata_xml');
  const done = await callAdmin(ctx, { method: 'POST', path: `/identity-providers/${seg(name)}/saml-metadata`, body: { metadata_xml: xml }, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) return problemState(ctx.t, done, { '/metadata_xml': { name: 'metadata_xml', label: ctx.t('providers.metadata') } }, { metadata_xml: xml });
  redirect(`/${ctx.locale}/admin/identity-providers/${seg(name)}?notice=imported`);
}

/** Deletes a provider, once confirmed (DELETE, If-Match the ETag the page showed). */
export async function deleteProviderAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const done = await callAdmin(ctx, { method: 'DELETE', path: `/identity-providers/${seg(field(data, 'name'))}`, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) return problemState(ctx.t, done);
  redirect(`/${ctx.locale}/admin/identity-providers?notice=deleted`);
}

/**
 * Starts a test sign-in with a provider (server/federation/test-sign-in.ts): a one-time ticket for
 * this console session, redeemed by the federation start route, which sends the browser on.
 */
export async function testSignInAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const ticket = await ctx.rt.federation.tests.prepare({ provider: field(data, 'name'), session: ctx.session.id, locale: ctx.locale });
  if (!ticket) return refusal(ctx.t('errors.not-found'), 404);
  redirect(`${IDP_START_PATH}?${new URLSearchParams({ test: ticket, locale: ctx.locale })}`);
}
