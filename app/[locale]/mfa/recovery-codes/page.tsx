import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { RecoveryCodeList } from '@/components/RecoveryCodeList';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { recoveryCodesSavedAction } from '../actions';

/** Shown once, right after enrolment, before the sign-in goes on. */
export default async function RecoveryCodesPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { view, step, csrf, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'recovery-codes');
  const t = await getTranslations({ locale });
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/mfa/recovery-codes" query={{ uid: view.uid }} heading={t('recoveryCodes.title')} subheading={step.amr.includes('sms') ? t('smsSetup.recoveryExplain') : t('recoveryCodes.explain')}>
      <RecoveryCodeList locale={locale} codes={step.codes} poolName={settings.name} />
      <FlowForm
        testId="recovery-codes-form"
        action={recoveryCodesSavedAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[]}
        buttons={[{ label: t('recoveryCodes.continue'), testId: 'recovery-codes-saved' }]}
      />
    </PageFrame>
  );
}
