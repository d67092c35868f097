'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, jsonField, problemState, seg } from '@/app/_lib/console';
import { field } from '@/app/_lib/flow';

type Draft = { colors?: { light?: Record<string, string>; dark?: Record<string, string> } } & Record<string, unknown>;

/**
 * The brand colours from the colour inputs, only where one was changed from what the page
 * showed: an imported JSON keeps its own colours otherwise.
 */
function withBrand(theme: Draft, data: FormData): Draft {
  const out = { ...theme, colors: { ...theme.colors } };
  for (const [scheme, input, shown] of [['light', 'brandLight', 'shownLight'], ['dark', 'brandDark', 'shownDark']] as const) {
    const value = field(data, input);
    if (value && value.toLowerCase() !== field(data, shown).toLowerCase()) out.colors[scheme] = { ...out.colors[scheme], brand: value };
  }
  return out;
}

/** Saves the draft (PUT /themes/{id}/draft, If-Match the draft the page showed), checked by the API's theme schema. */
export async function saveDraftAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const id = field(data, 'id');
  const text = field(data, 'theme');
  const parsed = await jsonField(data, 'theme', t('themes.notJson'));
  if ('refused' in parsed) return parsed.refused;
  let body = parsed.value;
  if (body && typeof body === 'object' && !Array.isArray(body)) body = withBrand(body as Draft, data);
  const done = await callAdmin(ctx, { method: 'PUT', path: `/themes/${seg(id)}/draft`, body, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) {
    // The API names the offending member by JSON Pointer: shown beside the editor.
    return problemState(t, done, { '': { name: 'theme', label: t('themes.draft') } }, { theme: text, brandLight: field(data, 'brandLight'), brandDark: field(data, 'brandDark') });
  }
  redirect(`/${ctx.locale}/admin/themes/${seg(id)}?notice=saved`);
}

/** Publishes the draft (POST /themes/{id}/publish) or rolls back (POST /themes/{id}/versions/{n}/republish). */
export async function themeChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const id = field(data, 'id');
  const op = field(data, 'op');
  const version = field(data, 'version');
  const base = `/themes/${seg(id)}`;
  const ifMatch = field(data, 'etag') || undefined;
  const done =
    op === 'publish'
      ? await callAdmin(ctx, { method: 'POST', path: `${base}/publish`, ifMatch })
      : op === 'rollback' && /^\d+$/.test(version)
        ? await callAdmin(ctx, { method: 'POST', path: `${base}/versions/${version}/republish`, ifMatch })
        : undefined;
  if (!done) return problemState(t, { ok: false, status: 400, problem: { kind: 'invalid-request', title: '', errors: [] } });
  if (!done.ok) return problemState(t, done);
  redirect(`/${ctx.locale}/admin${base}?notice=${op === 'publish' ? 'published' : 'rolled_back'}`);
}
