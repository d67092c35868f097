'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState, seg, type ConsoleCtx } from '@/app/_lib/console';
import { field, refusal } from '@/app/_lib/flow';
import { consoleCatalogues } from '@/i18n/console';
import { isLocale, localeName } from '@/i18n/locales';
import type { AdminCallResult } from '@/server/admin';
import type { OverrideProblem } from '@/server/pool/custom-text';
import { isPreviewScreen } from '@/app/_lib/preview';
import { previewScreenOf } from './screens';

// Every reason the pool may give has its wording in the console's catalogue (checked by type).
const problemWords: Record<OverrideProblem['code'], string> = consoleCatalogues.en.customText.problems;
const isProblemCode = (c: unknown): c is OverrideProblem['code'] => typeof c === 'string' && Object.hasOwn(problemWords, c);

/** The screen's address with the editor open on `key` (and what else is given). */
function editorHref(ctx: ConsoleCtx, params: Record<string, string>, hash = ''): string {
  return `/${ctx.locale}/admin/custom-text?${new URLSearchParams(params)}${hash}`;
}

/**
 * A refused override as a form state on the text field: each problem the API named (its code and
 * values), worded in the console's language; other refusals as every console form shows them.
 */
async function refusedText(ctx: ConsoleCtx, r: Extract<AdminCallResult, { ok: false }>, label: string, values: Record<string, string>): Promise<FormState> {
  const { t } = ctx;
  const worded = r.problem.errors.flatMap((e) => (isProblemCode(e.code) ? [t(`customText.problems.${e.code}`, (e.params ?? {}) as never)] : []));
  if (worded.length === 0) return problemState(t, r, { '/text': { name: 'text', label }, '/texts': { name: 'text', label } }, values);
  return refusal(`${t('errors.field', { field: label })} ${worded.join(' ')}`, 400, { field: 'text', values });
}

/**
 * The editor's form: "Preview" checks the text as a save would and shows it on a preview screen
 * (POST /custom-text/{locale}/preview), "Save" makes it live (PUT /custom-text/{locale}/{key},
 * with the ETag the page showed).
 */
export async function customTextAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const textLocale = field(data, 'tlocale');
  const key = field(data, 'key');
  const text = field(data, 'text');
  const op = field(data, 'op');
  const values = { text };
  if (!isLocale(textLocale) || !key || (op !== 'preview' && op !== 'save')) return refusal(t('errors.invalid-request'), 400, { values });
  // The field's label as the page shows it.
  const label = t('customText.text', { locale: `${localeName(textLocale)} (${textLocale})` });
  if (op === 'preview') {
    // The theme to preview in: an app client's or any published one; the pool's when none is chosen.
    const theme = field(data, 'theme');
    const made = await callAdmin(ctx, { method: 'POST', path: `/custom-text/${textLocale}/preview`, body: { texts: { [key]: text }, ...(theme ? { theme } : {}) } });
    if (!made.ok) return refusedText(ctx, made, label, values);
    const asked = field(data, 'screen');
    const screen = isPreviewScreen(asked) ? asked : previewScreenOf(key);
    redirect(editorHref(ctx, { tlocale: textLocale, key, screen, preview: (made.body as { token: string }).token, ...(theme ? { theme } : {}) }, '#preview'));
  }
  const saved = await callAdmin(ctx, { method: 'PUT', path: `/custom-text/${textLocale}/${seg(key)}`, body: { text }, ifMatch: field(data, 'etag') || undefined });
  if (!saved.ok) return refusedText(ctx, saved, label, values);
  redirect(editorHref(ctx, { tlocale: textLocale, key, notice: 'saved' }));
}

/** Deletes an override after the confirmation step (DELETE /custom-text/{locale}/{key}, with its ETag). */
export async function deleteCustomTextAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const textLocale = field(data, 'tlocale');
  const key = field(data, 'key');
  if (!isLocale(textLocale) || !key) return refusal(ctx.t('errors.invalid-request'), 400);
  const done = await callAdmin(ctx, { method: 'DELETE', path: `/custom-text/${textLocale}/${seg(key)}`, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) return problemState(ctx.t, done);
  redirect(editorHref(ctx, { tlocale: textLocale, notice: 'deleted' }));
}
