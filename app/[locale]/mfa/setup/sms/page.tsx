import { getTranslations } from 'next-intl/server';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { smsSetupCodeAction, smsSetupNumberAction } from './actions';
import { EnrolmentOffers } from '../../enrolment-offers';
import { leftToRight } from '@/app/_lib/bidi';

/**
 * Text-message enrolment during sign-in: first the number, then the code texted to it. Both are
 * one step of the sign-in; the number is kept by the server, not the form.
 */
export default async function SmsSetupPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, step, csrf, settings, showSmsOutbox, appName, theme } = await loadFlowPage(locale, query.uid, 'mfa-setup-sms');
  const t = await getTranslations({ locale });
  const hidden = { uid: view.uid, csrf, locale };
  const user = step.phone ? undefined : await rt.pool.users.get({ id: step.userId });
  const otherWay = <EnrolmentOffers locale={locale} uid={view.uid} csrf={csrf} from="mfa-setup-sms" current="sms" methods={rt.pool.methods} mfa={settings.mfa} />;
  if (!step.phone) {
    return (
      <PageFrame theme={theme} appName={appName} locale={locale} path="/mfa/setup/sms" query={{ uid: view.uid }} heading={t('smsSetup.title')} subheading={t('smsSetup.explain')}>
        <FlowForm
          key="number"
          testId="sms-number-form"
          action={smsSetupNumberAction}
          hidden={hidden}
          fields={[
            {
              name: 'phone_number',
              label: t('smsSetup.phone'),
              hint: t('smsSetup.phoneHint'),
              type: 'tel',
              inputMode: 'tel',
              autoComplete: 'tel',
              required: true,
              maxLength: 32,
              autoFocus: true,
              dir: 'ltr',
              defaultValue: user?.phoneNumber ?? undefined,
            },
          ]}
          buttons={[{ label: t('smsSetup.send'), testId: 'send-sms-code' }]}
        />
        {otherWay}
      </PageFrame>
    );
  }
  return (
    <PageFrame
      theme={theme}
      appName={appName}
      locale={locale}
      path="/mfa/setup/sms"
      query={{ uid: view.uid }}
      heading={t('smsSetup.codeTitle')}
      subheading={t('smsSetup.codeSent', { destination: leftToRight(step.destination ?? '') })}
    >
      <DevOutboxNotice locale={locale} show={showSmsOutbox} channel="sms" />
      <FlowForm
        key="code"
        testId="sms-code-form"
        action={smsSetupCodeAction}
        hidden={hidden}
        fields={[{ name: 'code', label: t('mfa.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' }]}
        buttons={[
          { label: t('smsSetup.submit'), name: 'intent', value: 'verify', testId: 'verify-code' },
          { label: t('smsSetup.resend'), name: 'intent', value: 'resend', variant: 'secondary', formNoValidate: true, testId: 'resend' },
          { label: t('smsSetup.changeNumber'), name: 'intent', value: 'change', variant: 'secondary', formNoValidate: true, testId: 'change-number' },
        ]}
      />
      {otherWay}
    </PageFrame>
  );
}
