import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { SubSection } from '@/components/SubSection';
import { PasskeyCeremony } from '@/components/passkeys/PasskeyCeremony';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { passkeyTexts } from '@/app/_lib/passkeys';
import { appInsteadAction, passkeyEnrolAction, passkeyEnrolOptionsAction } from './actions';

/** Passkey enrolment during sign-in; the authenticator app stays one click away when the pool allows it. */
export default async function PasskeySetupPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { view, csrf, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'passkey-setup');
  const t = await getTranslations({ locale, namespace: 'passkeys' });
  const { problems, waiting, needsJavaScript } = await passkeyTexts(locale);
  const hidden = { uid: view.uid, csrf, locale };
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/mfa/passkey" query={{ uid: view.uid }} heading={t('setupTitle')} subheading={t('setupExplain')}>
      <PasskeyCeremony
        kind="register"
        options={passkeyEnrolOptionsAction}
        action={passkeyEnrolAction}
        hidden={hidden}
        nameField={{ label: t('name'), hint: t('nameHint'), defaultValue: t('defaultName') }}
        label={t('create')}
        waiting={waiting}
        problems={problems}
        fallback={needsJavaScript}
        testId="create-passkey"
      />
      {settings.mfa.factors.includes('totp') ? (
        <SubSection id="prefer-app" heading={t('preferApp')}>
          <FlowForm testId="app-instead-form" action={appInsteadAction} hidden={hidden} fields={[]} buttons={[{ label: t('useAppInstead'), variant: 'secondary', testId: 'app-instead' }]} />
        </SubSection>
      ) : null}
    </PageFrame>
  );
}
