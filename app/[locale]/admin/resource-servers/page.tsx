import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { saveResourceServerAction } from './actions';
import { serverFields, type ResourceServerRecord } from './server-fields';
import { cell } from '../_frame/table';

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
        <table className="w-full text-sm" data-testid="resource-server-list">
          <thead>
            <tr>
              <th scope="col" className={cell}>{t('resourceServers.fields.identifier')}</th>
              <th scope="col" className={cell}>{t('resourceServers.fields.name')}</th>
              <th scope="col" className={cell}>{t('resourceServers.fields.scopes')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((rs) => (
              <tr key={rs.identifier} data-testid="resource-server-row">
                <td className={cell}>
                  <a className="text-link underline" href={`/${locale}/admin/resource-servers/${seg(rs.identifier)}`}><bdi>{rs.identifier}</bdi></a>
                </td>
                <td className={cell} dir="auto">{rs.name}</td>
                <td className={cell}><bdi>{rs.scopes.map((s) => s.name).join(' ')}</bdi></td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
      <Panel id="create-resource-server" heading={t('resourceServers.create')}>
        <div className="max-w-xl">
          <FlowForm testId="create-resource-server-form" action={saveResourceServerAction} hidden={ctx.hidden} fields={serverFields(t)} buttons={[{ label: t('resourceServers.create'), testId: 'create-resource-server' }]} />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
