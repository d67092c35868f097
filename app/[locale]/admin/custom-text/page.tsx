import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { isPreviewScreen } from '@/app/_lib/preview';
import { builtInThemes } from '@/themes/built-in';
import type { OptionGroup } from '@/components/SelectOptions';
import type { ConsoleT } from '@/i18n/console';
import { isLocale, localeName, locales, type Locale } from '@/i18n/locales';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { ConfirmStep } from '../_frame/ConfirmStep';
import { previewScreenChoices, previewScreenName } from '../_frame/preview-screens';
import { SearchForm } from '../_frame/SearchForm';
import { cell } from '../_frame/table';
import { customTextAction, deleteCustomTextAction } from './actions';
import { previewScreenOf } from './screens';

/** Messages a page of the list shows: a screen's worth, never the whole catalogue. */
const PAGE_SIZE = 25;

/**
 * The themes a preview can be shown in: the pool's (the default, an empty value), each app
 * client's, and every published theme by id.
 */
function themeChoices(t: ConsoleT, poolTheme: string, clients: { client_id: string; client_name?: string; theme?: string }[], themes: string[]): OptionGroup[] {
  const ofClients = clients.flatMap((c) => (c.theme ? [{ value: c.theme, label: t('customText.clientTheme', { id: c.theme, client: c.client_name || c.client_id }) }] : []));
  return [
    { label: t('customText.themeGroups.pool'), options: [{ value: '', label: t('customText.poolTheme', { id: poolTheme }) }] },
    ...(ofClients.length > 0 ? [{ label: t('customText.themeGroups.clients'), options: ofClients }] : []),
    { label: t('customText.themeGroups.all'), options: themes.map((id) => ({ value: id, label: id })) },
  ];
}

/**
 * Custom text (issue 12 point 5): a language's messages (screens, e-mails, texts), filtered by
 * group and words, a page at a time, each with its shipped text and override; the editor of one
 * override with its English original, a preview of the unsaved text on a hosted screen, save and
 * delete. Every step is a link or a form: it works without JavaScript.
 *
 * Query: `tlocale` the texts' language, `ns` a message group, `q` words, `page`; `key` the message
 * edited, `preview` a preview token (with its unsaved text), `screen` the screen previewed, `theme`
 * the theme the preview was asked in (the pool's when absent).
 */
export default async function ConsoleCustomTextPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/custom-text');
  const { t } = ctx;
  const custom = ctx.rt.pool.customText;
  const textLocale: Locale = isLocale(query.tlocale) ? query.tlocale : locale;
  const english = custom.catalogue('en');
  const shipped = custom.catalogue(textLocale);
  const groups = [...new Set([...english.keys()].map((k) => k.split('.')[0]))];
  const ns = query.ns && groups.includes(query.ns) ? query.ns : '';
  const words = (query.q ?? '').trim().toLowerCase();

  const listed = await callAdmin(ctx, { method: 'GET', path: `/custom-text/${textLocale}` });
  const overrides = listed.ok ? (listed.body as { texts: Record<string, string> }).texts : {};
  const matching = [...english.keys()].filter(
    (k) => (!ns || k.startsWith(`${ns}.`)) && (!words || [k, shipped.get(k) ?? '', overrides[k] ?? ''].some((s) => s.toLowerCase().includes(words))),
  );
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number.parseInt(query.page ?? '1', 10) || 1));
  const shown = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);

  const base = `/${locale}/admin/custom-text`;
  const href = (p: Record<string, string | undefined>) => {
    const params = new URLSearchParams(Object.entries<string | undefined>({ tlocale: textLocale, ...p }).filter((e): e is [string, string] => !!e[1]));
    return `${base}?${params}`;
  };
  const listParams = { ns: ns || undefined, q: query.q || undefined };

  // The editor: one key, its override (with the ETag a save or delete sends), any unsaved preview.
  const key = query.key && english.has(query.key) ? query.key : undefined;
  const current = key ? await callAdmin(ctx, { method: 'GET', path: `/custom-text/${textLocale}/${seg(key)}` }) : undefined;
  const override = current?.ok ? (current.body as { text: string }).text : undefined;
  const etag = current?.ok ? (current.etag ?? '') : '';
  const pending = key && query.preview ? await custom.pending(query.preview) : undefined;
  const previewed = pending && pending.locale === textLocale && key && pending.texts[key] !== undefined ? pending.texts[key] : undefined;
  const screen = query.screen && isPreviewScreen(query.screen) ? query.screen : key ? previewScreenOf(key) : 'login';
  const slots = key ? custom.slots(key) : [];
  // The theme the preview is shown in: the one the last "Preview" asked for, else the pool's.
  const [settings, clientList, themeList] = key
    ? await Promise.all(['/settings', '/clients?limit=200', '/themes'].map((path) => callAdmin(ctx, { method: 'GET', path })))
    : [];
  const poolTheme = (settings?.ok ? (settings.body as { theme?: string }).theme : undefined) ?? 'default';
  const themeIds = [...new Set(['default', ...Object.keys(builtInThemes), ...(themeList?.ok ? (themeList.body as { items: { id: string }[] }).items.map((x) => x.id) : [])])];
  const previewTheme = query.theme && themeIds.includes(query.theme) ? query.theme : '';
  const clients = clientList?.ok ? (clientList.body as { items: { client_id: string; client_name?: string; theme?: string }[] }).items : [];
  const notice = query.notice === 'saved' || query.notice === 'deleted' ? t(`customText.notices.${query.notice}`) : null;
  const language = (l: Locale) => `${localeName(l)} (${l})`;
  const textProps = { lang: textLocale, dir: 'auto' as const };

  return (
    <ConsoleFrame ctx={ctx} screen="customText" heading={t('customText.title')}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      <p className="text-sm text-muted mb-4 max-w-3xl">{t('customText.explain')}</p>
      {key && query.confirm === 'delete' && override !== undefined ? (
        <ConfirmStep
          question={t('customText.confirmDelete', { key, locale: language(textLocale) })}
          action={deleteCustomTextAction}
          hidden={{ ...ctx.hidden, tlocale: textLocale, key, etag }}
          confirm={t('customText.delete')}
          cancel={t('common.cancel')}
          cancelHref={href({ key })}
          testId="confirm"
        />
      ) : null}
      {key ? (
        <Panel id="editor" heading={t('customText.editing', { key })}>
          <dl className="text-sm mb-4 grid gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]" data-testid="text-sources">
            <dt className="font-medium">{t('customText.english')}</dt>
            <dd lang="en" dir="ltr" className="whitespace-pre-wrap" data-testid="text-english">{english.get(key)}</dd>
            <dt className="font-medium">{t('customText.shipped')} — {language(textLocale)}</dt>
            <dd {...textProps} className="whitespace-pre-wrap" data-testid="text-shipped">{shipped.get(key)}</dd>
            <dt className="font-medium">{t('customText.override')}</dt>
            <dd {...(override === undefined ? {} : textProps)} className="whitespace-pre-wrap" data-testid="text-override">{override ?? t('customText.noOverride')}</dd>
          </dl>
          <div className="max-w-3xl">
            <FlowForm
              testId="custom-text-form"
              action={customTextAction}
              hidden={{ ...ctx.hidden, tlocale: textLocale, key, etag, screen }}
              fields={[
                {
                  name: 'text',
                  label: t('customText.text', { locale: language(textLocale) }),
                  type: 'textarea',
                  rows: 4,
                  autoComplete: 'off',
                  required: true,
                  maxLength: 2000,
                  dir: 'auto',
                  hint: slots.length > 0 ? t('customText.placeholders', { list: slots.join(' ') }) : t('customText.noPlaceholders'),
                  defaultValue: previewed ?? override ?? shipped.get(key) ?? '',
                },
                { name: 'theme', label: t('customText.previewTheme'), type: 'select', autoComplete: 'off', defaultValue: previewTheme, options: themeChoices(t, poolTheme, clients, themeIds) },
              ]}
              buttons={[
                { label: t('customText.preview'), name: 'op', value: 'preview', variant: 'secondary', testId: 'custom-text-preview' },
                { label: t('customText.save'), name: 'op', value: 'save', testId: 'custom-text-save' },
              ]}
            />
          </div>
          {override !== undefined ? (
            <p className="mt-4">
              <a className="inline-block border-2 border-danger text-danger rounded-theme px-3 py-2 font-semibold bg-surface" href={href({ key, confirm: 'delete' })} data-testid="custom-text-delete">
                {t('customText.delete')}
              </a>
            </p>
          ) : null}
        </Panel>
      ) : null}
      {key ? (
        <Panel id="preview" heading={t('customText.preview')}>
          <p className="text-sm text-muted mb-3">{query.preview && previewed !== undefined ? t('customText.previewExplain', { theme: previewTheme || poolTheme }) : t('customText.previewNone')}</p>
          {query.preview && previewed !== undefined ? (
            <>
              <SearchForm
                action={base}
                testId="custom-text-screen-form"
                submit={t('customText.showScreen')}
                fields={[{ name: 'screen', label: t('customText.screen'), value: screen, groups: previewScreenChoices(t) }]}
                extra={
                  <>
                    <input type="hidden" name="tlocale" value={textLocale} />
                    <input type="hidden" name="key" value={key} />
                    <input type="hidden" name="preview" value={query.preview} />
                    {previewTheme ? <input type="hidden" name="theme" value={previewTheme} /> : null}
                  </>
                }
              />
              <iframe
                src={`/${textLocale}/preview/${screen}?${new URLSearchParams({ preview: query.preview, state: 'empty' })}`}
                title={t('customText.previewTitle', { screen: previewScreenName(t, screen) })}
                width={1024}
                height={640}
                className="mt-4 max-w-full border-2 border-line"
                data-testid="custom-text-frame"
              />
            </>
          ) : null}
        </Panel>
      ) : null}
      <Panel id="messages" heading={t('customText.messages')}>
        <SearchForm
          action={base}
          testId="custom-text-filter"
          submit={t('customText.show')}
          fields={[
            { name: 'tlocale', label: t('customText.locale'), value: textLocale, options: locales.map((l) => ({ value: l, label: language(l) })) },
            { name: 'ns', label: t('customText.namespace'), value: ns, options: [{ value: '', label: t('customText.all') }, ...groups.map((g) => ({ value: g, label: g }))] },
            { name: 'q', label: t('customText.search'), value: query.q ?? '', type: 'search' },
          ]}
        />
        <p className="text-sm mt-4 mb-2" data-testid="custom-text-count">{t('customText.count', { count: matching.length, page, pages })}</p>
        {shown.length === 0 ? (
          <p className="text-muted">{t('customText.noMatch')}</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm" data-testid="custom-text-list">
              <thead>
                <tr>
                  <th scope="col" className={cell}>{t('customText.key')}</th>
                  <th scope="col" className={cell}>{t('customText.shipped')}</th>
                  <th scope="col" className={cell}>{t('customText.override')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((k) => (
                  <tr key={k} data-testid="custom-text-row">
                    <td className={`${cell} font-mono`}>
                      <a className="text-link underline break-all" href={`${href({ ...listParams, page: String(page), key: k })}#editor`} aria-current={k === key ? 'true' : undefined}>
                        {k}
                      </a>
                    </td>
                    <td className={cell} {...textProps}>{shipped.get(k)}</td>
                    <td className={cell} {...(overrides[k] === undefined ? {} : textProps)}>{overrides[k] ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="mt-3 flex gap-4">
          {page > 1 ? <a className="text-link underline" href={href({ ...listParams, page: String(page - 1) })}>{t('customText.previous')}</a> : null}
          {page < pages ? <a className="text-link underline" href={href({ ...listParams, page: String(page + 1) })} data-testid="custom-text-next">{t('common.next')}</a> : null}
        </p>
      </Panel>
    </ConsoleFrame>
  );
}
