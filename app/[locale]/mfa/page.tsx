import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { mfaAction, recoveryCodeAction } from './actions';

export default async function MfaPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { view, csrf } = await loadFlowPage(locale, query.uid, 'mfa');
  const t = await getTranslations({ locale });
  return (
    <PageFrame locale={locale} path="/mfa" query={{ uid: view.uid }} heading={t('mfa.title')} subheading={t('mfa.explain')}>
      <FlowForm
        testId="mfa-form"
        action={mfaAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[{ name: 'code', label: t('mfa.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' }]}
        buttons={[{ label: t('mfa.submit'), testId: 'verify-code' }]}
      />
      {/* Always open: without JavaScript a refused code's message must not hide in a closed disclosure. */}
      <section className="mt-6 border-t border-line pt-4" aria-labelledby="recovery-heading">
        <h2 id="recovery-heading" className="font-medium mb-3">
          {t('mfaRecovery.or')}
        </h2>
        <div>
          <FlowForm
            testId="recovery-code-form"
            action={recoveryCodeAction}
            hidden={{ uid: view.uid, csrf, locale }}
            fields={[{ name: 'recovery_code', label: t('mfaRecovery.code'), type: 'text', autoComplete: 'off', required: true, maxLength: 32, dir: 'ltr' }]}
            buttons={[{ label: t('mfaRecovery.submit'), variant: 'secondary', testId: 'use-recovery-code' }]}
          />
        </div>
      </section>
      <p className="mt-6 text-sm">
        <TextLink href={flowHref(locale, 'login', view.uid)}>{t('forgot.backToSignIn')}</TextLink>
      </p>
    </PageFrame>
  );
}
