import { callAdmin, type ConsoleCtx } from '@/app/_lib/console';
import { ConsoleFrame, Panel } from './ConsoleFrame';
import { SearchForm, type SearchField } from './SearchForm';
import { apiQuery, pageQuery, type LogKind } from '@/app/_lib/console-logs';
import { ConsoleTable, NextPage, type Column } from './ConsoleTable';

/**
 * The events and audit screens: filters (a GET form), a page of rows newest first, the next page,
 * and the export of everything the filters match as JSON Lines.
 */
export async function LogScreen<T extends { id: number; at: number }>({
  ctx,
  kind,
  query,
  heading,
  filters,
  columns,
}: {
  ctx: ConsoleCtx;
  kind: LogKind;
  query: Record<string, string | undefined>;
  heading: string;
  filters: SearchField[];
  columns: Column<T>[];
}) {
  const { t, locale } = ctx;
  const params = apiQuery(kind, query);
  if (query.cursor) params.set('cursor', query.cursor);
  params.set('limit', '50');
  const got = await callAdmin(ctx, { method: 'GET', path: `/${kind}?${params}` });
  const page = got.ok ? (got.body as { items: T[]; next?: string }) : { items: [] as T[] };
  const own = pageQuery(kind, query);
  const when = new Intl.DateTimeFormat(locale === 'ar' ? 'ar' : 'en', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });
  const dates: SearchField[] = [
    { name: 'since', label: t('logs.since'), value: query.since ?? '', type: 'date' },
    { name: 'until', label: t('logs.until'), value: query.until ?? '', type: 'date' },
  ];
  return (
    <ConsoleFrame ctx={ctx} screen={kind} heading={heading}>
      <Panel id={`${kind}-filters`} heading={t('logs.filter')}>
        <SearchForm action={`/${locale}/admin/${kind}`} fields={[...filters, ...dates]} submit={t('logs.filter')} testId={`${kind}-filter`} />
        {!got.ok ? <p role="alert" className="text-danger mt-3">{t('errors.invalid-request')}</p> : null}
        <p className="mt-3">
          <a className="text-link underline" href={`/api/console/export/${kind}?${own}`} data-testid={`${kind}-export`} download>
            {t('logs.export')}
          </a>
        </p>
      </Panel>
      {page.items.length === 0 ? (
        <p className="text-muted">{t('logs.noRows')}</p>
      ) : (
        <div className="overflow-x-auto bg-surface border border-line rounded-theme">
          <ConsoleTable
            rows={page.items}
            rowKey={(row) => row.id}
            rowTestId={kind === 'audit' ? 'audit-row' : 'event-row'}
            align="top"
            columns={[{ label: t('logs.when'), cell: (row) => when.format(new Date(row.at)) }, ...columns]}
          />
        </div>
      )}
      <NextPage href={page.next && `/${locale}/admin/${kind}?${new URLSearchParams([...own, ['cursor', page.next]])}`} label={t('common.next')} />
    </ConsoleFrame>
  );
}
