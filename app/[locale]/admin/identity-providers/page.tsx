import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { ConsoleFrame, Panel } from '../_frame/ConsoleFrame';
import { saveProviderAction } from './actions';
import { cell } from '../_frame/table';

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
        {items.length === 0 ? (
          <p className="text-muted">{t('providers.none')}</p>
        ) : (
          <table className="w-full text-sm" data-testid="provider-list">
            <thead>
              <tr>
                <th scope="col" className={cell}>{t('providers.name')}</th>
                <th scope="col" className={cell}>{t('providers.type')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p) => (
                <tr key={p.name} data-testid="provider-row">
                  <td className={cell}>
                    <a className="text-link underline" href={`/${locale}/admin/identity-providers/${seg(p.name)}`}><bdi>{p.name}</bdi></a>
                  </td>
                  <td className={cell}><bdi>{p.type}</bdi></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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
