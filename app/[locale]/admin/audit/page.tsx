import { loadConsolePage } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { LogScreen } from '../_frame/LogScreen';

type Entry = { id: number; at: number; actor: { type: string; id: string }; action: string; resource: { type: string; id: string } };

/** Who changed what through the admin API or the console; filtered, exported as JSON Lines. */
export default async function ConsoleAuditPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/audit');
  const { t } = ctx;
  return (
    <LogScreen<Entry>
      ctx={ctx}
      kind="audit"
      query={query}
      heading={t('audit.title')}
      filters={[
        { name: 'action', label: t('audit.action'), value: query.action ?? '' },
        { name: 'actor', label: t('audit.actor'), value: query.actor ?? '' },
        { name: 'resource_type', label: t('audit.resourceType'), value: query.resource_type ?? '' },
        { name: 'resource_id', label: t('audit.resourceId'), value: query.resource_id ?? '' },
      ]}
      columns={[
        { label: t('audit.action'), cell: (e) => e.action, dir: 'ltr' },
        { label: t('audit.actor'), cell: (e) => `${e.actor.type}:${e.actor.id}`, dir: 'ltr' },
        { label: t('audit.resourceType'), cell: (e) => e.resource.type, dir: 'ltr' },
        { label: t('audit.resourceId'), cell: (e) => e.resource.id, dir: 'ltr' },
      ]}
    />
  );
}
