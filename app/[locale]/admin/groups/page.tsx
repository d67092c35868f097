import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { saveGroupAction } from './actions';
import { groupFields } from './group-fields';
import { cell } from '../_frame/table';

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
        {page.items.length === 0 ? (
          <p className="text-muted">{t('groups.none')}</p>
        ) : (
          <table className="w-full text-sm" data-testid="group-list">
            <thead>
              <tr>
                <th scope="col" className={cell}>{t('groups.name')}</th>
                <th scope="col" className={cell}>{t('groups.description')}</th>
                <th scope="col" className={cell}>{t('groups.precedence')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((g) => (
                <tr key={g.name} data-testid="group-row">
                  <td className={cell}>
                    <a className="text-link underline" href={`/${locale}/admin/groups/${seg(g.name)}`}><bdi>{g.name}</bdi></a>
                  </td>
                  <td className={cell} dir="auto">{g.description ?? ''}</td>
                  <td className={cell}>{g.precedence ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {page.next ? (
          <p className="mt-3">
            <a className="text-link underline" href={`/${locale}/admin/groups?cursor=${encodeURIComponent(page.next)}`}>{t('common.next')}</a>
          </p>
        ) : null}
      </Panel>
      <Panel id="create-group" heading={t('groups.create')}>
        <div className="max-w-md">
          <FlowForm testId="create-group-form" action={saveGroupAction} hidden={ctx.hidden} fields={groupFields(t)} buttons={[{ label: t('groups.create'), testId: 'create-group' }]} />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
