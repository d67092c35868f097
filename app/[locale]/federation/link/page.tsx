import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { ProviderButtons } from '@/components/ProviderButtons';
import { SubSection } from '@/components/SubSection';
import { providerButtons } from '@/app/_lib/federation';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { displayName } from '@/server/federation';
import { cancelLinkAction, linkAction } from './actions';

/**
 * A provider brought the verified e-mail of an existing account: the user proves the account is
 * theirs (its password, then its second factor; or a provider already linked to it) before the
 * new sign-in is linked to it. Nothing is linked otherwise.
 */
export default async function LinkAccountPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, step, client, csrf, appName, theme } = await loadFlowPage(locale, query.uid, 'link-account');
  const t = await getTranslations({ locale });
  const idp = await rt.federation.providers.get(step.provider);
  const provider = idp ? displayName(idp) : step.provider;
  const proof = await rt.federation.link.options(step);
  // Providers already linked to that account, that this app offers, prove it too.
  const allowed = client ? (await rt.federation.optionsFor(client)).providers : [];
  const others = allowed.filter((p) => p.name !== step.provider && proof.providers.includes(p.name));
  const hidden = { uid: view.uid, csrf, locale };
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/federation/link" query={{ uid: view.uid }} heading={t('federation.link.title', { provider })}>
      <p className="mb-6" data-testid="link-explain">
        {t('federation.link.explain', { provider, email: step.email })}
      </p>
      {proof.password ? (
        <FlowForm
          testId="link-form"
          action={linkAction}
          hidden={hidden}
          fields={[{ name: 'password', label: t('federation.link.password'), type: 'password', autoComplete: 'current-password', required: true, maxLength: 1024, autoFocus: true }]}
          buttons={[{ label: t('federation.link.submit'), testId: 'link-account' }]}
        />
      ) : null}
      {others.length > 0 ? (
        <SubSection id="link-providers" heading={t('federation.link.withProvider')}>
          <ProviderButtons buttons={providerButtons(others, view.uid, locale, (p) => t('federation.login.continueWith', { provider: p }))} testId="link-providers" />
        </SubSection>
      ) : null}
      {!proof.password && others.length === 0 ? <p className="mb-6">{t('federation.link.noProof')}</p> : null}
      <SubSection id="link-cancel" heading={t('federation.link.cancelHeading')}>
        <p className="mb-3 text-sm">{t('federation.link.cancelExplain', { provider })}</p>
        <FlowForm testId="link-cancel-form" action={cancelLinkAction} hidden={hidden} fields={[]} buttons={[{ label: t('federation.link.cancel'), variant: 'secondary', testId: 'link-cancel' }]} />
      </SubSection>
    </PageFrame>
  );
}
