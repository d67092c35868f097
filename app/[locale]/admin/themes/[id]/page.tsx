import { notFound } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg, segmentParam } from '@/app/_lib/console';
import { previewScreens, previewStates } from '@/app/_lib/preview';
import { isLocale, locales } from '@/i18n/locales';
import { builtInThemes } from '@/themes/built-in';
import type { ThemeInput } from '@/themes/schema';
import { ConsoleFrame, Panel } from '../../_frame/ConsoleFrame';
import { ConfirmStep } from '../../_frame/ConfirmStep';
import { previewScreenChoices } from '../../_frame/preview-screens';
import { SearchForm } from '../../_frame/SearchForm';
import { assignThemeAction, saveDraftAction, saveFieldsAction, themeChangeAction } from '../actions';
import { parentOf } from './inherited';
import { themeFormModel } from './model';
import { ThemeFieldsForm } from './ThemeFieldsForm';

type Version = { version: number; published_by: string; published_at: number; rolled_back_from: number | null };

interface Props {
  params: Promise<{ locale: string; id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

const pick = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(v as T) ? (v as T) : fallback);
const WIDTHS = { phone: 375, desktop: 1024 } as const;

/**
 * One theme: every field of its draft (colours with pickers and their live contrast, uploads),
 * the draft as JSON (import by pasting or by file), a framed preview of the draft (a token minted
 * by the API), publish, discard or export the draft, delete the theme, where the theme is used
 * (the pool, app clients), and the published versions with export and roll back.
 */
export default async function ConsoleThemePage(props: Props) {
  const { locale, id: raw } = await props.params;
  if (!isLocale(locale)) notFound();
  const id = segmentParam(raw);
  const path = `/themes/${seg(id)}`;
  const ctx = await loadConsolePage(locale, path);
  const { t } = ctx;
  const query = await props.searchParams;
  const [published, draft, versions, list, settings, clientList] = await Promise.all([
    callAdmin(ctx, { method: 'GET', path }),
    callAdmin(ctx, { method: 'GET', path: `${path}/draft` }),
    callAdmin(ctx, { method: 'GET', path: `${path}/versions` }),
    callAdmin(ctx, { method: 'GET', path: '/themes' }),
    callAdmin(ctx, { method: 'GET', path: '/settings' }),
    callAdmin(ctx, { method: 'GET', path: '/clients?limit=200' }),
  ]);
  const editing = draft.ok ? (draft.body as { theme: ThemeInput }).theme : published.ok ? (published.body as ThemeInput) : notFound();
  const stored = new Map(list.ok ? (list.body as { items: ThemeInput[] }).items.map((x) => [x.id, x]) : []);
  const model = themeFormModel(t, editing, parentOf(editing, stored), [...Object.keys(builtInThemes), ...stored.keys()]);
  const poolTheme = settings.ok ? (settings.body as { theme?: string }).theme : undefined;
  const clients = clientList.ok ? (clientList.body as { items: { client_id: string; theme?: string }[] }).items : [];
  const history = versions.ok ? (versions.body as { items: Version[] }).items : [];
  const hidden = { ...ctx.hidden, id };
  const here = `/${locale}/admin${path}`;
  const notice = typeof query.notice === 'string' && t.has(`themes.notices.${query.notice}` as never) ? t(`themes.notices.${query.notice}` as never) : null;

  // The preview: a token for the draft (or the published theme when there is none), framed.
  const minted = await callAdmin(ctx, { method: 'POST', path: `${path}/preview`, body: { draft: draft.ok } });
  const token = minted.ok ? (minted.body as { token: string }).token : undefined;
  const screen = pick(query.screen, previewScreens, 'login');
  const state = pick(query.state, previewStates, 'filled');
  const previewLocale = pick(query.plocale, locales, locale);
  const scheme = pick(query.scheme, ['light', 'dark'] as const, 'light');
  const width = pick(query.width, ['phone', 'desktop'] as const, 'desktop');
  const src = token ? `/${previewLocale}/preview/${screen}?${new URLSearchParams({ preview: token, state, scheme })}` : undefined;
  const version = typeof query.version === 'string' && /^\d+$/.test(query.version) ? query.version : '';
  const row = 'flex flex-wrap items-center justify-between gap-3 py-2 border-b border-line last:border-b-0 text-sm';
  const danger = 'inline-block border-2 border-danger text-danger rounded-theme px-3 py-2 font-semibold bg-surface';
  return (
    <ConsoleFrame ctx={ctx} screen="themes" heading={t('themes.theme', { id })}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      {query.confirm === 'publish' && draft.ok ? (
        <ConfirmStep question={t('themes.confirmPublish', { id })} action={themeChangeAction} hidden={{ ...hidden, op: 'publish', etag: draft.etag ?? '' }} confirm={t('themes.publish')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      {query.confirm === 'rollback' && version ? (
        <ConfirmStep question={t('themes.confirmRollBack', { id, version })} action={themeChangeAction} hidden={{ ...hidden, op: 'rollback', version, etag: published.ok ? (published.etag ?? '') : '' }} confirm={t('themes.rollBack', { version })} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      {query.confirm === 'discard' && draft.ok ? (
        <ConfirmStep question={t(published.ok ? 'themes.confirmDiscard' : 'themes.confirmDiscardOnly', { id })} action={themeChangeAction} hidden={{ ...hidden, op: 'discard', etag: draft.etag ?? '' }} confirm={t('themes.discard')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      {query.confirm === 'delete' && published.ok ? (
        <ConfirmStep question={t('themes.confirmDelete', { id })} action={themeChangeAction} hidden={{ ...hidden, op: 'delete', etag: published.etag ?? '' }} confirm={t('themes.delete')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      <Panel id="fields" heading={t('themes.form.heading')}>
        <p className="text-sm text-muted mb-3">{t('themes.form.explain')}</p>
        <p className="text-sm mb-3" data-testid="draft-state">{draft.ok ? t('themes.hasDraft') : t('themes.noDraft')}</p>
        <ThemeFieldsForm action={saveFieldsAction} model={model} hidden={{ ...hidden, etag: draft.ok ? (draft.etag ?? '') : '' }} />
        <p className="mt-4 flex flex-wrap gap-3">
          {draft.ok ? (
            <>
              <a className={danger} href={`${here}?confirm=publish`} data-testid="theme-publish">{t('themes.publish')}</a>
              <a className={danger} href={`${here}?confirm=discard`} data-testid="theme-discard">{t('themes.discard')}</a>
            </>
          ) : null}
          {published.ok ? <a className={danger} href={`${here}?confirm=delete`} data-testid="theme-delete">{t('themes.delete')}</a> : null}
        </p>
      </Panel>
      <Panel id="preview" heading={t('themes.preview')}>
        <SearchForm
          action={here}
          testId="preview-form"
          submit={t('themes.show')}
          fields={[
            { name: 'screen', label: t('themes.screen'), value: screen, groups: previewScreenChoices(t) },
            { name: 'state', label: t('themes.state'), value: state, options: previewStates.map((s) => ({ value: s, label: s })) },
            { name: 'plocale', label: t('themes.locale'), value: previewLocale, options: locales.map((l) => ({ value: l, label: l })) },
            { name: 'scheme', label: t('themes.scheme'), value: scheme, options: [{ value: 'light', label: t('themes.light') }, { value: 'dark', label: t('themes.dark') }] },
            { name: 'width', label: t('themes.width'), value: width, options: [{ value: 'phone', label: t('themes.phone') }, { value: 'desktop', label: t('themes.desktop') }] },
          ]}
        />
        {src ? <iframe src={src} title={t('themes.previewTitle')} width={WIDTHS[width]} height={720} className="mt-4 max-w-full border-2 border-line" data-testid="theme-preview" /> : null}
      </Panel>
      <Panel id="assign" heading={t('themes.assign.heading')}>
        <p className="text-sm text-muted mb-3">{t('themes.assign.explain')}</p>
        <div className="max-w-3xl">
          <FlowForm
            testId="assign-form"
            action={assignThemeAction}
            // Which apps the boxes stand for (an unticked box posts nothing), one per line.
            hidden={{ ...hidden, clients: clients.map((c) => c.client_id).join('\n') }}
            fields={[
              { name: 'pool', label: t('themes.assign.pool'), type: 'checkbox', autoComplete: 'off', defaultValue: poolTheme === id ? 'on' : '' },
              ...clients.map((c) => ({ name: `client-${c.client_id}`, label: t('themes.assign.client', { id: c.client_id }), type: 'checkbox', autoComplete: 'off', defaultValue: c.theme === id ? 'on' : '' })),
            ]}
            buttons={[{ label: t('themes.assign.save'), testId: 'assign-save' }]}
          />
        </div>
      </Panel>
      <Panel id="draft" heading={t('themes.draft')}>
        <p className="text-sm text-muted mb-3">{t('themes.draftExplain')}</p>
        <div className="max-w-3xl">
          <FlowForm
            testId="draft-form"
            action={saveDraftAction}
            hidden={{ ...hidden, etag: draft.ok ? (draft.etag ?? '') : '' }}
            fields={[
              { name: 'themeFile', label: t('themes.importFile'), type: 'file', autoComplete: 'off' },
              { name: 'theme', label: t('themes.draft'), type: 'textarea', rows: 20, autoComplete: 'off', maxLength: 12_000_000, dir: 'ltr', defaultValue: JSON.stringify(editing, null, 2) },
            ]}
            buttons={[{ label: t('themes.saveDraft'), testId: 'save-draft' }]}
          />
        </div>
        {draft.ok ? (
          <p className="mt-3 text-sm">
            <a className="text-link underline" href={`/api/console/themes/${seg(id)}/draft`} download={`${id}-draft.json`} data-testid="theme-export-draft">{t('themes.exportDraft')}</a>
          </p>
        ) : null}
      </Panel>
      <Panel id="history" heading={t('themes.history')}>
        {history.length === 0 ? <p className="text-sm text-muted">{t('themes.noHistory')}</p> : null}
        <ul data-testid="theme-history">
          {history.map((v) => (
            <li key={v.version} className={row} data-testid="theme-version">
              <span>
                {t('themes.version', { version: v.version })} — {t('themes.publishedBy', { by: v.published_by, at: new Date(v.published_at).toISOString() })}
                {v.rolled_back_from ? ` ${t('themes.rolledBackFrom', { version: v.rolled_back_from })}` : ''}
              </span>
              <span className="flex gap-3">
                <a className="text-link underline" href={`/api/console/themes/${seg(id)}/${v.version}`} download={`${id}-${v.version}.json`} data-testid="theme-export">{t('themes.export', { version: v.version })}</a>
                <a className="text-link underline" href={`${here}?confirm=rollback&version=${v.version}`} data-testid="theme-rollback">{t('themes.rollBack', { version: v.version })}</a>
              </span>
            </li>
          ))}
        </ul>
      </Panel>
    </ConsoleFrame>
  );
}
