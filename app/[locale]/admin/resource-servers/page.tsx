import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { saveResourceServerAction } from './actions';
import { serverFields, type ResourceServerRecord } from './server-fields';
import { ConsoleTable, ItemLink } from '../_frame/ConsoleTable';

/** Resource servers (the built-in foyer first, read-only), and a form to create one. */
export default async function ConsoleResourceServersPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/resource-servers');
  const { t } = ctx;
  const got = await callAdmin(ctx, { method: 'GET', path: '/resource-servers' });
  const items = got.ok ? (got.body as { items: ResourceServerRecord[] }).items : [];
  return (
    <ConsoleFrame ctx={ctx} screen="resourceServers" heading={t('resourceServers.title')}>
      {query.notice === 'deleted' ? <Alert tone="notice">{t('resourceServers.deleted')}</Alert> : null}
      <Panel id="resource-server-list" heading={t('resourceServers.title')}>
        <ConsoleTable
          rows={items}
          rowKey={(rs) => rs.identifier}
          testId="resource-server-list"
          rowTestId="resource-server-row"
          columns={[
            { label: t('resourceServers.fields.identifier'), cell: (rs) => <ItemLink href={`/${locale}/admin/resource-servers/${seg(rs.identifier)}`}>{rs.identifier}</ItemLink> },
            { label: t('resourceServers.fields.name'), cell: (rs) => rs.name, dir: 'auto' },
            { label: t('resourceServers.fields.scopes'), cell: (rs) => <bdi>{rs.scopes.map((s) => s.name).join(' ')}</bdi> },
          ]}
        />
      </Panel>
      <Panel id="create-resource-server" heading={t('resourceServers.create')}>
        <div className="max-w-xl">
          <FlowForm testId="create-resource-server-form" action={saveResourceServerAction} hidden={ctx.hidden} fields={serverFields(t)} buttons={[{ label: t('resourceServers.create'), testId: 'create-resource-server' }]} />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
