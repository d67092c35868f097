import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { saveGroupAction } from './actions';
import { groupFields } from './group-fields';
import { ConsoleTable, ItemLink, NextPage } from '../_frame/ConsoleTable';

type Group = { name: string; description?: string; precedence?: number };

/** Groups: the list, a page at a time, and a form to create one. */
export default async function ConsoleGroupsPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/groups');
  const { t } = ctx;
  const params = new URLSearchParams({ limit: '50', ...(query.cursor ? { cursor: query.cursor } : {}) });
  const got = await callAdmin(ctx, { method: 'GET', path: `/groups?${params}` });
  const page = got.ok ? (got.body as { items: Group[]; next?: string }) : { items: [] as Group[] };
  return (
    <ConsoleFrame ctx={ctx} screen="groups" heading={t('groups.title')}>
      {query.notice === 'deleted' ? <Alert tone="notice">{t('groups.deleted')}</Alert> : null}
      <Panel id="group-list" heading={t('groups.title')}>
        <ConsoleTable
          rows={page.items}
          rowKey={(g) => g.name}
          empty={t('groups.none')}
          testId="group-list"
          rowTestId="group-row"
          columns={[
            { label: t('groups.name'), cell: (g) => <ItemLink href={`/${locale}/admin/groups/${seg(g.name)}`}>{g.name}</ItemLink> },
            { label: t('groups.description'), cell: (g) => g.description ?? '', dir: 'auto' },
            { label: t('groups.precedence'), cell: (g) => g.precedence ?? '' },
          ]}
        />
        <NextPage href={page.next && `/${locale}/admin/groups?cursor=${encodeURIComponent(page.next)}`} label={t('common.next')} />
      </Panel>
      <Panel id="create-group" heading={t('groups.create')}>
        <div className="max-w-md">
          <FlowForm testId="create-group-form" action={saveGroupAction} hidden={ctx.hidden} fields={groupFields(t)} buttons={[{ label: t('groups.create'), testId: 'create-group' }]} />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
