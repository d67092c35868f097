import { notFound } from 'next/navigation';
import { Alert } from '@/components/Alert';
import { FlowForm } from '@/components/FlowForm';
import { callAdmin, loadConsolePage, seg, segmentParam } from '@/app/_lib/console';
import { isLocale } from '@/i18n/locales';
import { ConsoleFrame, Panel } from '../../_frame/ConsoleFrame';
import { ConfirmStep } from '../../_frame/ConfirmStep';
import { deleteProviderAction, importMetadataAction, saveProviderAction } from '../actions';
import { TestSignIn } from './TestSignIn';

interface Props {
  params: Promise<{ locale: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** One identity provider: its JSON (secrets hidden; the placeholder keeps them), a test sign-in, SAML metadata import, deleting it. */
export default async function ConsoleProviderPage(props: Props) {
  const { locale, name: raw } = await props.params;
  if (!isLocale(locale)) notFound();
  const name = segmentParam(raw);
  const path = `/identity-providers/${seg(name)}`;
  const ctx = await loadConsolePage(locale, path);
  const { t } = ctx;
  const query = await props.searchParams;
  const got = await callAdmin(ctx, { method: 'GET', path });
  if (!got.ok) notFound();
  const provider = got.body as { name: string; type: string };
  const hidden = { ...ctx.hidden, name, etag: got.etag ?? '' };
  const here = `/${locale}/admin${path}`;
  // The result of a test sign-in, for this console session only (server/federation/test-sign-in.ts).
  const test = typeof query.test === 'string' ? await ctx.rt.federation.tests.read(query.test, ctx.session.id) : null;
  const notice = query.notice === 'saved' ? t('providers.saved') : query.notice === 'imported' ? t('providers.imported') : null;
  return (
    <ConsoleFrame ctx={ctx} screen="identityProviders" heading={t('providers.provider', { name })}>
      {notice ? <Alert tone="notice">{notice}</Alert> : null}
      {query.confirm === 'delete' ? (
        <ConfirmStep question={t('providers.confirmDelete', { name })} action={deleteProviderAction} hidden={hidden} confirm={t('providers.delete')} cancel={t('common.cancel')} cancelHref={here} testId="confirm" />
      ) : null}
      <Panel id="provider-settings" heading={t('providers.json')}>
        <p className="text-sm text-muted mb-3">{t('providers.explain')}</p>
        <div className="max-w-3xl">
          <FlowForm
            testId="save-provider-form"
            action={saveProviderAction}
            hidden={hidden}
            fields={[{ name: 'provider', label: t('providers.json'), type: 'textarea', rows: 16, autoComplete: 'off', required: true, maxLength: 250_000, dir: 'ltr', defaultValue: JSON.stringify(provider, null, 2) }]}
            buttons={[{ label: t('providers.save'), testId: 'save-provider' }]}
          />
        </div>
        <p className="mt-4">
          <a className="inline-block border-2 border-danger text-danger rounded-theme px-3 py-2 font-semibold bg-surface" href={`${here}?confirm=delete`} data-testid="provider-delete">{t('providers.delete')}</a>
        </p>
      </Panel>
      <TestSignIn t={t} hidden={{ ...ctx.hidden, name }} result={test} />
      {provider.type === 'saml' ? (
        <Panel id="saml-metadata" heading={t('providers.metadata')}>
          <div className="max-w-3xl">
            <FlowForm
              testId="metadata-form"
              action={importMetadataAction}
              hidden={hidden}
              fields={[{ name: 'metadata_xml', label: t('providers.metadata'), type: 'textarea', rows: 10, autoComplete: 'off', required: true, maxLength: 200_000, dir: 'ltr', hint: t('providers.metadataHint') }]}
              buttons={[{ label: t('providers.import'), testId: 'import-metadata' }]}
            />
          </div>
        </Panel>
      ) : null}
    </ConsoleFrame>
  );
}
