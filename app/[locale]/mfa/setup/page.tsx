import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TotpSetup } from '@/components/TotpSetup';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { mfaSetupAction } from '../actions';
import { EnrolmentOffers } from '../enrolment-offers';

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
      <EnrolmentOffers locale={locale} uid={view.uid} csrf={csrf} from="mfa-setup" current="totp" methods={rt.pool.methods} mfa={settings.mfa} />
    </PageFrame>
  );
}
