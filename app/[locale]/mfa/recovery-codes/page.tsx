import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { recoveryCodesSavedAction } from '../actions';

/** Shown once, right after enrolment: ten single-use codes, as a list and as a file to keep. */
export default async function RecoveryCodesPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { view, step, csrf, settings } = await loadFlowPage(locale, query.uid, 'recovery-codes');
  const t = await getTranslations({ locale });
  const file = [t('recoveryCodes.fileHeader', { pool: settings.name }), '', ...step.codes, ''].join('\n');
  return (
    <PageFrame locale={locale} path="/mfa/recovery-codes" query={{ uid: view.uid }} heading={t('recoveryCodes.title')} subheading={step.amr.includes('sms') ? t('smsSetup.recoveryExplain') : t('recoveryCodes.explain')}>
      <ol dir="ltr" className="grid grid-cols-2 gap-2 font-mono text-lg mb-4" data-testid="recovery-codes">
        {step.codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ol>
      <a
        href={`data:text/plain;charset=utf-8,${encodeURIComponent(file)}`}
        download="recovery-codes.txt"
        className="text-brand underline"
        data-testid="download-recovery-codes"
      >
        {t('recoveryCodes.download')}
      </a>
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
