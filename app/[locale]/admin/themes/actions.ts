'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState, seg, type ConsoleCtx } from '@/app/_lib/console';
import { wordOf } from '@/app/_lib/console-problem';
import { field, refusal } from '@/app/_lib/flow';
import { uploadProblem } from '@/server/pool/themes';
import type { ThemeInput } from '@/themes/schema';
import type { FieldProblem, ThemeFormState } from './[id]/form-model';
import { colour, colourField, fieldOfPointer, schemes, themeFromForm, uploadFields, type UploadField } from './[id]/theme-form';
import { paletteNames } from '@/themes/schema';

const invalid = { ok: false as const, status: 400, problem: { kind: 'invalid-request', title: '', errors: [] } };

/** A theme's JSON from a chosen file, else from the pasted text (`undefined`: neither). */
async function jsonOf(data: FormData, fileField: string, textField: string): Promise<string | undefined> {
  const file = data.get(fileField);
  if (file instanceof File && file.size > 0) return file.text();
  const text = field(data, textField);
  return text.trim() ? text : undefined;
}

/** Saves the draft (PUT /themes/{id}/draft, If-Match the draft the page showed) from its JSON, pasted or as a file. */
export async function saveDraftAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const id = field(data, 'id');
  const text = (await jsonOf(data, 'themeFile', 'theme')) ?? '';
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refusal(t('themes.notJson'), 400, { field: 'theme', values: { theme: field(data, 'theme') } });
  }
  const done = await callAdmin(ctx, { method: 'PUT', path: `/themes/${seg(id)}/draft`, body, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) {
    // The API names the offending member by JSON Pointer: shown beside the editor.
    return problemState(t, done, { '': { name: 'theme', label: t('themes.draft') } }, { theme: text });
  }
  redirect(`/${ctx.locale}/admin/themes/${seg(id)}?notice=saved`);
}

/** Imports a theme's JSON (a file or pasted) as the draft of the theme its `id` names, made if new. */
export async function importThemeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const text = await jsonOf(data, 'themeFile', 'theme');
  if (text === undefined) return refusal(t('themes.importEmpty'), 400, { field: 'themeFile' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refusal(t('themes.notJson'), 400, { field: 'theme', values: { theme: field(data, 'theme') } });
  }
  const id = body && typeof body === 'object' && 'id' in body && typeof body.id === 'string' ? body.id : undefined;
  if (!id || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) return refusal(t('themes.importNoId'), 400, { field: 'theme', values: { theme: field(data, 'theme') } });
  // A draft there is was never shown on this screen: it is replaced only when the admin says so,
  // else an import would silently overwrite someone's unpublished work.
  const path = `/themes/${seg(id)}/draft`;
  const current = await callAdmin(ctx, { method: 'GET', path });
  if (current.ok && field(data, 'replaceDraft') !== 'on') {
    return refusal(t('themes.importDraftExists', { id }), 409, { field: 'replaceDraft', values: { theme: field(data, 'theme') } });
  }
  const done = await callAdmin(ctx, { method: 'PUT', path, body, ifMatch: current.ok ? current.etag : undefined });
  if (!done.ok) {
    return problemState(t, done, { '': { name: 'theme', label: t('themes.draft') } }, { theme: field(data, 'theme') });
  }
  redirect(`/${ctx.locale}/admin/themes/${seg(id)}?notice=imported`);
}

/** The form's own values to show again after a refusal (a moved colour picker counts as its text). */
function valuesOf(data: FormData): Record<string, string> {
  const skip = new Set(['csrf', 'locale', 'id', 'etag']);
  const out: Record<string, string> = {};
  // React's own entries (`$ACTION_…`) stay out: a state holding them is no plain state, and the
  // server refuses to take it back with the next post (server/http/action-shape.ts).
  for (const [k, v] of data.entries()) if (typeof v === 'string' && !skip.has(k) && !k.startsWith('$') && !k.endsWith('-pick') && !k.endsWith('-shown')) out[k] = v;
  for (const s of schemes) for (const n of paletteNames) out[colourField(s, n)] = colour(data, colourField(s, n)) ?? '';
  for (const g of ['bgFrom', 'bgTo']) out[g] = colour(data, g) ?? '';
  return out;
}

/** The draft the form edits: the stored draft, else a copy of the published theme. */
async function stored(ctx: ConsoleCtx, id: string): Promise<ThemeInput | undefined> {
  const path = `/themes/${seg(id)}`;
  const [draft, published] = await Promise.all([callAdmin(ctx, { method: 'GET', path: `${path}/draft` }), callAdmin(ctx, { method: 'GET', path })]);
  return draft.ok ? (draft.body as { theme: ThemeInput }).theme : published.ok ? (published.body as ThemeInput) : undefined;
}

/**
 * Saves the draft from the field form (PUT /themes/{id}/draft, If-Match the draft the page
 * showed). Uploads are checked here first, for a translated refusal on their field, then sent as
 * data: URLs: the API checks them again and stores each as `asset:<sha256>`. Each refusal of the
 * API is shown at the field its JSON Pointer names.
 */
export async function saveFieldsAction(_prev: ThemeFormState, data: FormData): Promise<ThemeFormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const id = field(data, 'id');
  const values = valuesOf(data);
  const base = await stored(ctx, id);
  if (!base) return problemState(t, { ...invalid, status: 404, problem: { ...invalid.problem, kind: 'not-found' } });
  const problems: Record<string, FieldProblem[]> = {};
  const add = (name: string, p: FieldProblem) => void (problems[name] ??= []).push(p);

  const uploads: Partial<Record<UploadField, string>> = {};
  for (const [name, kind] of Object.entries(uploadFields) as [UploadField, 'image' | 'font'][]) {
    const file = data.get(name);
    if (!(file instanceof File) || file.size === 0) continue;
    const bytes = Buffer.from(await file.arrayBuffer());
    const refused = uploadProblem(bytes, kind);
    if (refused) add(name, { message: t(`themes.form.upload.${refused.code}`, refused.params as never) });
    else uploads[name] = `data:application/octet-stream;base64,${bytes.toString('base64')}`;
  }
  const { theme, problems: local } = themeFromForm(base, data, uploads);
  for (const p of local) add(p.field, { message: t(`themes.form.${p.code}`) });

  if (Object.keys(problems).length === 0) {
    const done = await callAdmin(ctx, { method: 'PUT', path: `/themes/${seg(id)}/draft`, body: theme, ifMatch: field(data, 'etag') || undefined });
    if (done.ok) redirect(`/${ctx.locale}/admin/themes/${seg(id)}?notice=saved`);
    if (done.problem.kind !== 'invalid-request' || done.problem.errors.length === 0) return { ...(await problemState(t, done, {}, values)), values };
    for (const e of done.problem.errors) {
      const name = fieldOfPointer(e.pointer) ?? 'name';
      // Worded by its code where the console can (a CSS syntax error keeps the parser's English
      // words beside); a colour pair too low in contrast is one error each, its colours named.
      const worded = wordOf(t, e);
      add(name, worded ? { message: worded, ...(e.params.reason === 'syntax' ? { detail: e.detail } : {}) } : { message: t('themes.form.refused'), detail: e.detail });
    }
    const state = await refusal(t('themes.form.summary', { count: Object.keys(problems).length }), done.status, { values });
    return { ...state, fields: problems };
  }
  const state = await refusal(t('themes.form.summary', { count: Object.keys(problems).length }), 400, { values });
  return { ...state, fields: problems };
}

type Client = { client_id: string; theme?: string } & Record<string, unknown>;

/**
 * Where the theme is used: the pool's theme (PUT /settings) and each listed app's (PUT
 * /clients/{id}), each changed only where the boxes differ from what is stored, If-Match the
 * ETag just read.
 */
export async function assignThemeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const id = field(data, 'id');
  const on = (name: string) => data.get(name) === 'on';
  const settings = await callAdmin(ctx, { method: 'GET', path: '/settings' });
  if (!settings.ok) return problemState(t, settings);
  const pool = settings.body as { theme?: string } & Record<string, unknown>;
  if (on('pool') !== (pool.theme === id)) {
    const { theme: _old, ...rest } = pool;
    const done = await callAdmin(ctx, { method: 'PUT', path: '/settings', body: on('pool') ? { ...rest, theme: id } : rest, ifMatch: settings.etag });
    if (!done.ok) return problemState(t, done);
  }
  // A form post turns each line break of a value into CR LF: split on both, or every id but the last keeps a CR (and is not found).
  for (const clientId of field(data, 'clients').split(/\r?\n/).filter(Boolean).slice(0, 200)) {
    const path = `/clients/${seg(clientId)}`;
    const got = await callAdmin(ctx, { method: 'GET', path });
    if (!got.ok) return problemState(t, got);
    const client = got.body as Client;
    const want = on(`client-${clientId}`);
    if (want === (client.theme === id)) continue;
    const { theme: _old, ...rest } = client;
    const done = await callAdmin(ctx, { method: 'PUT', path, body: want ? { ...rest, theme: id } : rest, ifMatch: got.etag });
    if (!done.ok) return problemState(t, done);
  }
  redirect(`/${ctx.locale}/admin/themes/${seg(id)}?notice=assigned`);
}
/**
 * The theme's confirmed changes, each with If-Match the ETag the page showed: publish the draft
 * (POST /themes/{id}/publish), roll back (POST /themes/{id}/versions/{n}/republish), discard the
 * draft (DELETE /themes/{id}/draft: the editor then shows the published theme, or, for a theme
 * never published, the theme is gone and the list shows), delete the theme (DELETE /themes/{id},
 * refused while in use: one translated reason per user).
 */
export async function themeChangeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const id = field(data, 'id');
  const op = field(data, 'op');
  const version = field(data, 'version');
  const base = `/themes/${seg(id)}`;
  const ifMatch = field(data, 'etag') || undefined;
  const call =
    op === 'publish'
      ? ({ method: 'POST', path: `${base}/publish` } as const)
      : op === 'rollback' && /^\d+$/.test(version)
        ? ({ method: 'POST', path: `${base}/versions/${version}/republish` } as const)
        : op === 'discard'
          ? ({ method: 'DELETE', path: `${base}/draft` } as const)
          : op === 'delete'
            ? ({ method: 'DELETE', path: base } as const)
            : undefined;
  if (!call) return problemState(t, invalid);
  const done = await callAdmin(ctx, { ...call, ifMatch });
  if (!done.ok) {
    const state = await problemState(t, done);
    // In use: said as such (not as a taken name), each user's reason listed below.
    return done.status === 409 && state.error ? { ...state, error: { ...state.error, message: t('themes.stillUsed', { id }) } } : state;
  }
  const list = `/${ctx.locale}/admin/themes`;
  if (op === 'delete') redirect(`${list}?notice=deleted`);
  if (op === 'discard') {
    // A theme never published went with its draft.
    const published = await callAdmin(ctx, { method: 'GET', path: base });
    redirect(published.ok ? `${list}/${seg(id)}?notice=discarded` : `${list}?notice=deleted`);
  }
  redirect(`${list}/${seg(id)}?notice=${op === 'publish' ? 'published' : 'rolled_back'}`);
}
