import { loadConsolePage } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from './_frame/ConsoleFrame';
import { Bar } from './_frame/bar';
import { cell } from './_frame/table';

const DAYS = 7;

/** The console's first screen: how many users, live sessions, and sign-ins and failures per day. */
export default async function ConsoleOverviewPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '');
  const { t } = ctx;
  const { users, sessions, perDay } = await ctx.rt.pool.console.overview({ days: DAYS });
  // One scale for both columns, so a day's failures read against its sign-ins.
  const most = Math.max(0, ...perDay.flatMap((r) => [r.signIns, r.failures]));
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
        <table className="w-full text-sm" data-testid="overview-per-day">
          <caption className="sr-only">{t('overview.perDayCaption', { days: DAYS })}</caption>
          <thead>
            <tr>
              <th scope="col" className={cell}>{t('overview.day')}</th>
              <th scope="col" className={cell}>{t('overview.signIns')}</th>
              <th scope="col" className={cell}>{t('overview.failures')}</th>
            </tr>
          </thead>
          <tbody>
            {perDay.map((r) => (
              <tr key={r.day} data-testid={`overview-day-${r.day}`}>
                <th scope="row" className={`${cell} font-normal`} dir="ltr">{r.day}</th>
                <td className={cell}>
                  <span data-testid="overview-sign-ins">{r.signIns}</span>
                  <Bar value={r.signIns} max={most} tone="brand" />
                </td>
                <td className={cell}>
                  <span data-testid="overview-failures">{r.failures}</span>
                  <Bar value={r.failures} max={most} tone="danger" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </ConsoleFrame>
  );
}
