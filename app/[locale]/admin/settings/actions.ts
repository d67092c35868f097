'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, problemState } from '@/app/_lib/console';
import { field, refusal } from '@/app/_lib/flow';

/** Replaces the pool policies (PUT /settings, If-Match the ETag the page showed). */
export async function saveSettingsAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const text = field(data, 'settings');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return refusal(t('settings.notJson'), 400, { field: 'settings', values: { settings: text } });
  }
  const done = await callAdmin(ctx, { method: 'PUT', path: '/settings', body, ifMatch: field(data, 'etag') || undefined });
  if (!done.ok) {
    // The API names the offending member by JSON Pointer: shown as the field's name.
    const fields = Object.fromEntries(done.problem.errors.map((e) => [e.pointer, { name: 'settings', label: e.pointer }]));
    return problemState(t, done, fields, { settings: text });
  }
  redirect(`/${ctx.locale}/admin/settings?notice=saved`);
}
