import { getTranslations } from 'next-intl/server';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { SubSection } from '@/components/SubSection';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { chooseMethodAction, mfaAction, recoveryCodeAction } from './actions';
import { PasskeyMfa } from './PasskeyMfa';

/** The second step: a code by the method the server chose (the last one used), and the others. */
export default async function MfaPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { view, step, csrf, showOutbox, showSmsOutbox, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'mfa');
  const rememberDays = settings.mfa.remember_device_days;
  const t = await getTranslations({ locale });
  const hidden = { uid: view.uid, csrf, locale };
  const byEmail = step.method === 'email';
  const bySms = step.method === 'sms';
  const byPasskey = step.method === 'webauthn';
  const others = step.methods.filter((m) => m !== step.method);
  const methodLabel = (m: (typeof others)[number]) => (m === 'sms' ? t('mfaSms.choose') : m === 'webauthn' ? t('passkeys.choose') : t(`mfaChoose.${m}`));
  // The masked number reads left to right inside right-to-left text.
  const phone = `\u2066${step.smsDestination ?? ''}\u2069`;
  return (
    <PageFrame
      theme={theme}
      appName={appName}
      locale={locale}
      path="/mfa"
      query={{ uid: view.uid }}
      heading={byPasskey ? t('passkeys.mfaTitle') : byEmail ? t('mfaEmail.title') : bySms ? t('mfaSms.title') : t('mfa.title')}
      subheading={
        byPasskey
          ? t('passkeys.mfaExplain')
          : byEmail
            ? t('mfaEmail.sent', { destination: step.destination ?? '' })
            : bySms
              ? t('mfaSms.sent', { destination: phone })
              : t('mfa.explain')
      }
    >
      {byEmail ? <DevOutboxNotice locale={locale} show={showOutbox} /> : null}
      {bySms ? <DevOutboxNotice locale={locale} show={showSmsOutbox} channel="sms" /> : null}
      {byPasskey ? (
        <PasskeyMfa locale={locale} uid={view.uid} csrf={csrf} rememberDays={rememberDays} />
      ) : (
        <FlowForm
          key={step.method}
          testId="mfa-form"
          action={mfaAction}
          hidden={hidden}
          fields={[
            { name: 'code', label: t('mfa.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' },
            ...(rememberDays > 0 ? [{ name: 'remember', label: t('mfa.remember', { days: rememberDays }), type: 'checkbox', autoComplete: 'off' }] : []),
          ]}
          buttons={[
            { label: t('mfa.submit'), name: 'intent', value: 'verify', testId: 'verify-code' },
            ...(byEmail || bySms
              ? [{ label: bySms ? t('mfaSms.resend') : t('mfaEmail.resend'), name: 'intent', value: 'resend', variant: 'secondary' as const, formNoValidate: true, testId: 'resend' }]
              : []),
          ]}
        />
      )}
      {others.length > 0 ? (
        <SubSection id="other-methods" heading={t('mfaChoose.heading')}>
          <FlowForm
            testId="mfa-choose-form"
            action={chooseMethodAction}
            hidden={hidden}
            fields={[]}
            buttons={others.map((m) => ({ label: methodLabel(m), name: 'method', value: m, variant: 'secondary' as const, testId: `use-${m}` }))}
          />
        </SubSection>
      ) : null}
      {step.methods.includes('totp') || step.methods.includes('sms') || step.methods.includes('webauthn') ? (
        // Always open: without JavaScript a refused code's message must not hide in a closed disclosure.
        <SubSection id="recovery-heading" heading={step.methods.includes('sms') && !step.methods.includes('totp') && !step.methods.includes('webauthn') ? t('mfaSms.recovery') : t('mfaRecovery.or')}>
          <FlowForm
            testId="recovery-code-form"
            action={recoveryCodeAction}
            hidden={hidden}
            fields={[{ name: 'recovery_code', label: t('mfaRecovery.code'), type: 'text', autoComplete: 'off', required: true, maxLength: 32, dir: 'ltr' }]}
            buttons={[{ label: t('mfaRecovery.submit'), variant: 'secondary', testId: 'use-recovery-code' }]}
          />
        </SubSection>
      ) : null}
      <p className="mt-6 text-sm">
        <TextLink href={flowHref(locale, 'login', view.uid)}>{t('forgot.backToSignIn')}</TextLink>
      </p>
    </PageFrame>
  );
}
