import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { importThemeAction } from './actions';
import { ConsoleTable, ItemLink } from '../_frame/ConsoleTable';

type Theme = { id: string; name?: string };

/** Themes: the stored ones (and imports not yet published), which one the pool uses (its settings' `theme`), and an import (a theme's JSON, as a draft). */
export default async function ConsoleThemesPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/themes');
  const { t } = ctx;
  const [got, drafts, settings] = await Promise.all([callAdmin(ctx, { method: 'GET', path: '/themes' }), callAdmin(ctx, { method: 'GET', path: '/theme-drafts' }), callAdmin(ctx, { method: 'GET', path: '/settings' })]);
  const published = got.ok ? (got.body as { items: Theme[] }).items : [];
  // A theme imported but never published has only its draft: listed too, marked, so it can be opened.
  const known = new Set(published.map((th) => th.id));
  const unpublished = drafts.ok ? (drafts.body as { items: { theme: Theme }[] }).items.map((d) => ({ ...d.theme, draftOnly: true })).filter((th) => !known.has(th.id)) : [];
  const items: (Theme & { draftOnly?: boolean })[] = [...published, ...unpublished];
  const used = settings.ok ? (settings.body as { theme?: string }).theme : undefined;
  // After a theme was deleted (or a never-published one's draft discarded) in its editor.
  const notice = query.notice === 'deleted' ? t('themes.notices.deleted') : null;
  return (
    <ConsoleFrame ctx={ctx} screen="themes" heading={t('themes.title')}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      <Panel id="theme-list" heading={t('themes.title')}>
        {used ? <p className="text-sm mb-3" data-testid="pool-theme">{t('themes.poolUses', { id: used })}</p> : null}
        <ConsoleTable
          rows={items}
          rowKey={(th) => th.id}
          empty={t('themes.none')}
          testId="theme-list"
          rowTestId="theme-row"
          columns={[
            { label: t('themes.id'), cell: (th) => <ItemLink href={`/${locale}/admin/themes/${seg(th.id)}`}>{th.id}</ItemLink> },
            { label: t('themes.name'), cell: (th) => th.name ?? '', dir: 'auto' },
            { label: t('themes.inUse'), cell: (th) => (th.id === used ? t('common.yes') : t('common.no')) },
            { label: t('themes.published'), cell: (th) => (th.draftOnly ? t('themes.draftOnly') : t('common.yes')) },
          ]}
        />
      </Panel>
      <Panel id="theme-import" heading={t('themes.importHeading')}>
        <p className="text-sm text-muted mb-3">{t('themes.importExplain')}</p>
        <div className="max-w-3xl">
          <FlowForm
            testId="import-form"
            action={importThemeAction}
            hidden={ctx.hidden}
            fields={[
              { name: 'themeFile', label: t('themes.importFile'), type: 'file', autoComplete: 'off' },
              { name: 'theme', label: t('themes.importPaste'), type: 'textarea', rows: 8, autoComplete: 'off', maxLength: 12_000_000, dir: 'ltr' },
              { name: 'replaceDraft', label: t('themes.importReplace'), type: 'checkbox', autoComplete: 'off' },
            ]}
            buttons={[{ label: t('themes.importSubmit'), testId: 'import-theme' }]}
          />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
