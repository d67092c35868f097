import { loadConsolePage } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from './_frame/ConsoleFrame';
import { ConsoleTable } from './_frame/ConsoleTable';

const DAYS = 7;

/** The console's first screen: how many users, live sessions, and the pool's events per day. */
export default async function ConsoleOverviewPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '');
  const { t } = ctx;
  const { users, sessions, perDay } = await ctx.rt.pool.console.overview({ days: DAYS });
  return (
    <ConsoleFrame ctx={ctx} screen="overview" heading={t('overview.title')}>
      <dl className="grid grid-cols-2 gap-4 mb-6 max-w-md" data-testid="overview-counts">
        <div className="bg-surface border border-line rounded-theme p-4">
          <dt className="text-muted text-sm">{t('overview.users')}</dt>
          <dd className="text-3xl font-semibold" data-testid="overview-users">{users}</dd>
        </div>
        <div className="bg-surface border border-line rounded-theme p-4">
          <dt className="text-muted text-sm">{t('overview.sessions')}</dt>
          <dd className="text-3xl font-semibold" data-testid="overview-sessions">{sessions}</dd>
        </div>
      </dl>
      <Panel id="per-day" heading={t('overview.perDay', { days: DAYS })}>
        <ConsoleTable
          rows={perDay}
          rowKey={(r) => `${r.day} ${r.type}`}
          empty={t('overview.noEvents')}
          columns={[
            { label: t('overview.day'), cell: (r) => r.day, dir: 'ltr' },
            { label: t('overview.type'), cell: (r) => r.type, dir: 'ltr' },
            { label: t('overview.count'), cell: (r) => r.count },
          ]}
        />
      </Panel>
    </ConsoleFrame>
  );
}
