import { getTranslations } from 'next-intl/server';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { passwordlessAction } from './actions';

/** After a passwordless method was chosen: the code sent for this attempt, or "check your e-mail" for a link. */
export default async function PasswordlessPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, view, step, csrf, showOutbox, showSmsOutbox, appName, theme } = await loadFlowPage(locale, query.uid, 'passwordless');
  const t = await getTranslations({ locale });
  const sends = Object.values(rt.pool.methods).find((m) => m.use.first === step.method)?.sends;
  const link = sends?.proof === 'link';
  const sms = sends?.channel === 'sms';
  const identifier = step.destination ?? step.identifier;
  const hidden = { uid: view.uid, csrf, locale };
  const resend = { label: link ? t('passwordless.resendLink') : t('passwordless.resendCode'), name: 'intent', value: 'resend', variant: 'secondary' as const, formNoValidate: true, testId: 'resend' };
  return (
    <PageFrame
      theme={theme}
      appName={appName}
      locale={locale}
      path="/login/passwordless"
      query={{ uid: view.uid }}
      heading={link ? t('passwordless.linkTitle') : t('passwordless.codeTitle')}
      subheading={t(link ? 'passwordless.sentLink' : sms ? 'passwordless.sentSms' : 'passwordless.sentEmail', { identifier })}
    >
      <DevOutboxNotice locale={locale} show={sms ? showSmsOutbox : showOutbox} channel={sms ? 'sms' : 'email'} />
      <FlowForm
        testId="passwordless-code-form"
        action={passwordlessAction}
        hidden={hidden}
        fields={
          link
            ? []
            : [{ name: 'code', label: t('passwordless.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' }]
        }
        buttons={link ? [{ ...resend, variant: 'primary' as const }] : [{ label: t('passwordless.submit'), name: 'intent', value: 'verify', testId: 'verify-code' }, resend]}
      />
      <p className="mt-6 text-sm">
        <TextLink href={flowHref(locale, 'login', view.uid)} testId="another-way">
          {t('passwordless.another')}
        </TextLink>
      </p>
    </PageFrame>
  );
}
