import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TotpSetup } from '@/components/TotpSetup';
import { SubSection } from '@/components/SubSection';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { mfaSetupAction } from '../actions';
import { switchToSmsSetupAction } from './sms/actions';
import { PasskeyInstead } from '../passkey/PasskeyInstead';

/** TOTP enrolment during sign-in, when the pool requires a second factor the user does not have. */
export default async function MfaSetupPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, step, csrf, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'mfa-setup');
  const t = await getTranslations({ locale });
  const user = await rt.pool.users.get({ id: step.userId });
  const uri = await rt.pool.mfa.totpUri({ secret: step.secret, account: user?.email ?? user?.username ?? step.userId });
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/mfa/setup" query={{ uid: view.uid }} heading={t('mfaSetup.title')} subheading={t('mfaSetup.explain')}>
      <TotpSetup locale={locale} secret={step.secret} uri={uri} />
      <FlowForm
        testId="mfa-setup-form"
        action={mfaSetupAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[{ name: 'code', label: t('mfa.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, dir: 'ltr' }]}
        buttons={[{ label: t('mfaSetup.submit'), testId: 'verify-code' }]}
      />
      {settings.mfa.factors.includes('sms') ? (
        <SubSection id="other-setup" heading={t('smsSetup.otherHeading')}>
          <FlowForm
            testId="use-sms-form"
            action={switchToSmsSetupAction}
            hidden={{ uid: view.uid, csrf, locale }}
            fields={[]}
            buttons={[{ label: t('smsSetup.useSms'), variant: 'secondary', testId: 'use-sms-setup' }]}
          />
        </SubSection>
      ) : null}
      {settings.mfa.factors.includes('webauthn') ? <PasskeyInstead locale={locale} uid={view.uid} csrf={csrf} /> : null}
    </PageFrame>
  );
}
