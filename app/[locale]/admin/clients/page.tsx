import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { BUILT_IN_CLIENTS } from '@/server/pool';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { createClientAction } from './actions';
import { clientFields, type ClientRecord } from './client-fields';
import { ConsoleTable, ItemLink, NextPage } from '../_frame/ConsoleTable';

/** App clients: the list, a page at a time (Foyer's own apps after it, read-only), and a form to create one. */
export default async function ConsoleClientsPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/clients');
  const { t } = ctx;
  const params = new URLSearchParams({ limit: '50', ...(query.cursor ? { cursor: query.cursor } : {}) });
  const got = await callAdmin(ctx, { method: 'GET', path: `/clients?${params}` });
  const page = got.ok ? (got.body as { items: ClientRecord[]; next?: string }) : { items: [] as ClientRecord[] };
  const link = (id: string) => <ItemLink href={`/${locale}/admin/clients/${seg(id)}`}>{id}</ItemLink>;
  return (
    <ConsoleFrame ctx={ctx} screen="clients" heading={t('clients.title')}>
      {query.notice === 'deleted' ? <Alert tone="notice">{t('clients.deleted')}</Alert> : null}
      <Panel id="client-list" heading={t('clients.title')}>
        <ConsoleTable
          rows={page.items}
          rowKey={(c) => c.client_id}
          empty={t('clients.none')}
          testId="client-list"
          rowTestId="client-row"
          columns={[
            { label: t('clients.fields.client_id'), cell: (c) => link(c.client_id) },
            { label: t('clients.fields.client_name'), cell: (c) => c.client_name ?? '', dir: 'auto' },
            { label: t('clients.fields.token_endpoint_auth_method'), cell: (c) => <bdi>{c.token_endpoint_auth_method}</bdi> },
          ]}
        />
        <NextPage href={page.next && `/${locale}/admin/clients?cursor=${encodeURIComponent(page.next)}`} label={t('common.next')} />
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
