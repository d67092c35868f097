import { loadConsolePage } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { LogScreen } from '../_frame/LogScreen';

type Event = { id: number; at: number; type: string; user_id: string | null; ip: string | null; detail: unknown };

/** The pool's sign-in and account events, filtered by type, user and dates; exported as JSON Lines. */
export default async function ConsoleEventsPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/events');
  const { t } = ctx;
  return (
    <LogScreen<Event>
      ctx={ctx}
      kind="events"
      query={query}
      heading={t('events.title')}
      filters={[
        { name: 'type', label: t('events.type'), value: query.type ?? '' },
        { name: 'username', label: t('events.username'), value: query.username ?? '' },
      ]}
      columns={[
        { label: t('events.type'), cell: (e) => e.type, dir: 'ltr' },
        { label: t('events.user'), cell: (e) => e.user_id ?? '', dir: 'ltr' },
        { label: t('events.ip'), cell: (e) => e.ip ?? '', dir: 'ltr' },
        { label: t('logs.detail'), cell: (e) => (e.detail === null ? '' : JSON.stringify(e.detail)), dir: 'ltr' },
      ]}
    />
  );
}
