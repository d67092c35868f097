import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { BUILT_IN_CLIENTS } from '@/server/pool';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { createClientAction } from './actions';
import { clientFields, type ClientRecord } from './client-fields';
import { cell } from '../_frame/table';

/** App clients: the list, a page at a time (Foyer's own apps after it, read-only), and a form to create one. */
export default async function ConsoleClientsPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/clients');
  const { t } = ctx;
  const params = new URLSearchParams({ limit: '50', ...(query.cursor ? { cursor: query.cursor } : {}) });
  const got = await callAdmin(ctx, { method: 'GET', path: `/clients?${params}` });
  const page = got.ok ? (got.body as { items: ClientRecord[]; next?: string }) : { items: [] as ClientRecord[] };
  const link = (id: string) => (
    <a className="text-link underline" href={`/${locale}/admin/clients/${seg(id)}`}>
      <bdi>{id}</bdi>
    </a>
  );
  return (
    <ConsoleFrame ctx={ctx} screen="clients" heading={t('clients.title')}>
      {query.notice === 'deleted' ? <Alert tone="notice">{t('clients.deleted')}</Alert> : null}
      <Panel id="client-list" heading={t('clients.title')}>
        {page.items.length === 0 ? (
          <p className="text-muted">{t('clients.none')}</p>
        ) : (
          <table className="w-full text-sm" data-testid="client-list">
            <thead>
              <tr>
                <th scope="col" className={cell}>{t('clients.fields.client_id')}</th>
                <th scope="col" className={cell}>{t('clients.fields.client_name')}</th>
                <th scope="col" className={cell}>{t('clients.fields.token_endpoint_auth_method')}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((c) => (
                <tr key={c.client_id} data-testid="client-row">
                  <td className={cell}>{link(c.client_id)}</td>
                  <td className={cell} dir="auto">{c.client_name ?? ''}</td>
                  <td className={cell}><bdi>{c.token_endpoint_auth_method}</bdi></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {page.next ? (
          <p className="mt-3">
            <a className="text-link underline" href={`/${locale}/admin/clients?cursor=${encodeURIComponent(page.next)}`}>{t('common.next')}</a>
          </p>
        ) : null}
      </Panel>
      <Panel id="built-in-clients" heading={t('clients.builtIn')}>
        <p className="text-sm text-muted mb-2">{t('clients.builtInExplain')}</p>
        <ul className="text-sm">
          {[...BUILT_IN_CLIENTS].map((id) => (
            <li key={id} className="py-1">{link(id)}</li>
          ))}
        </ul>
      </Panel>
      <Panel id="create-client" heading={t('clients.create')}>
        <div className="max-w-xl">
          <FlowForm testId="create-client-form" action={createClientAction} hidden={ctx.hidden} fields={clientFields(t)} buttons={[{ label: t('clients.create'), testId: 'create-client' }]} />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
