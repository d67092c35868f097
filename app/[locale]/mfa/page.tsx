import { getTranslations } from 'next-intl/server';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { SubSection } from '@/components/SubSection';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { chooseMethodAction, mfaAction, recoveryCodeAction } from './actions';
import { methodLabel, mfaScreen } from './method-screens';

/** The second step: a code by the method the server chose (the last one used), and the others. */
export default async function MfaPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, step, csrf, showOutbox, showSmsOutbox, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'mfa');
  const rememberDays = settings.mfa.remember_device_days;
  const t = await getTranslations({ locale });
  const hidden = { uid: view.uid, csrf, locale };
  const screen = mfaScreen(step.method);
  const { methods } = rt.pool;
  // In the registry's order: the user's other factors, and those a recovery code stands in for.
  const others = Object.keys(methods).filter((m) => m !== step.method && step.methods.includes(m));
  const recoverable = Object.keys(methods).filter((m) => methods[m].recoverable && step.methods.includes(m));
  const lost = recoverable.length === 1 ? mfaScreen(recoverable[0]).lost : undefined;
  const showNotice = screen.sends ? (screen.sends.channel === 'sms' ? showSmsOutbox : showOutbox) : false;
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/mfa" query={{ uid: view.uid }} heading={screen.heading(t)} subheading={screen.subheading(t, step)}>
      {screen.sends ? <DevOutboxNotice locale={locale} show={showNotice} channel={screen.sends.channel} /> : null}
      {screen.Form ? (
        <screen.Form locale={locale} uid={view.uid} csrf={csrf} rememberDays={rememberDays} />
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
            ...(screen.sends ? [{ label: screen.sends.resend(t), name: 'intent', value: 'resend', variant: 'secondary' as const, formNoValidate: true, testId: 'resend' }] : []),
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
            buttons={others.map((m) => ({ label: methodLabel(t, methods[m]), name: 'method', value: m, variant: 'secondary' as const, testId: `use-${m}` }))}
          />
        </SubSection>
      ) : null}
      {recoverable.length > 0 ? (
        // Always open: without JavaScript a refused code's message must not hide in a closed disclosure.
        <SubSection id="recovery-heading" heading={lost ? lost(t) : t('mfaRecovery.or')}>
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
        <TextLink back href={flowHref(locale, 'login', view.uid)}>{t('forgot.backToSignIn')}</TextLink>
      </p>
    </PageFrame>
  );
}
