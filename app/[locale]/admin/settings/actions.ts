'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { callAdmin, consoleAction, isConsoleCtx, jsonField, problemState } from '@/app/_lib/console';
import { field } from '@/app/_lib/flow';

/** Replaces the pool policies (PUT /settings, If-Match the ETag the page showed). */
export async function saveSettingsAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data);
  if (!isConsoleCtx(ctx)) return ctx;
  const { t } = ctx;
  const parsed = await jsonField(data, 'settings', t('settings.notJson'));
  if ('refused' in parsed) return parsed.refused;
  const done = await callAdmin(ctx, { method: 'PUT', path: '/settings', body: parsed.value, ifMatch: field(data, 'etag') || undefined });
  // The API names the offending member by JSON Pointer: shown beside the editor.
  if (!done.ok) return problemState(t, done, { '': { name: 'settings', label: t('settings.json') } }, { settings: field(data, 'settings') });
  redirect(`/${ctx.locale}/admin/settings?notice=saved`);
}
