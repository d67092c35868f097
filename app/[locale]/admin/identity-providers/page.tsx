import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { saveProviderAction } from './actions';
import { ConsoleTable, ItemLink } from '../_frame/ConsoleTable';

type Provider = { name: string; type: string };

/** An example the create form starts from: an OIDC provider's required members. */
const EXAMPLE = JSON.stringify({ name: 'Example', type: 'oidc', issuer: 'https://idp.example.com', client_id: 'foyer', client_secret: 'change-me' }, null, 2);

/** Identity providers (OIDC, SAML, social): the list, and one to create as the config's JSON. */
export default async function ConsoleProvidersPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const ctx = await loadConsolePage(locale, '/identity-providers');
  const { t } = ctx;
  const got = await callAdmin(ctx, { method: 'GET', path: '/identity-providers' });
  const items = got.ok ? (got.body as { items: Provider[] }).items : [];
  return (
    <ConsoleFrame ctx={ctx} screen="identityProviders" heading={t('providers.title')}>
      {query.notice === 'deleted' ? <Alert tone="notice">{t('providers.deleted')}</Alert> : null}
      <Panel id="provider-list" heading={t('providers.title')}>
        <ConsoleTable
          rows={items}
          rowKey={(p) => p.name}
          empty={t('providers.none')}
          testId="provider-list"
          rowTestId="provider-row"
          columns={[
            { label: t('providers.name'), cell: (p) => <ItemLink href={`/${locale}/admin/identity-providers/${seg(p.name)}`}>{p.name}</ItemLink> },
            { label: t('providers.type'), cell: (p) => <bdi>{p.type}</bdi> },
          ]}
        />
      </Panel>
      <Panel id="create-provider" heading={t('providers.create')}>
        <p className="text-sm text-muted mb-3">{t('providers.explain')}</p>
        <div className="max-w-3xl">
          <FlowForm
            testId="create-provider-form"
            action={saveProviderAction}
            hidden={ctx.hidden}
            fields={[{ name: 'provider', label: t('providers.json'), type: 'textarea', rows: 12, autoComplete: 'off', required: true, maxLength: 250_000, dir: 'ltr', defaultValue: EXAMPLE }]}
            buttons={[{ label: t('providers.create'), testId: 'create-provider' }]}
          />
        </div>
      </Panel>
    </ConsoleFrame>
  );
}
