import { getTranslations } from 'next-intl/server';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { resetAction } from './actions';
import { leftToRight } from '@/app/_lib/bidi';

export default async function ResetPasswordPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { showOutbox, view, step, csrf, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'reset-password');
  const t = await getTranslations({ locale });
  const subheading = step.forced
    ? t('reset.forced', { destination: leftToRight(step.destination ?? '') })
    : step.destination
      ? t('reset.sentTo', { destination: leftToRight(step.destination) })
      : t('reset.sentGeneric');
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/reset-password" query={{ uid: view.uid }} heading={t('reset.title')} subheading={subheading}>
      <DevOutboxNotice locale={locale} show={showOutbox} />
      <FlowForm
        testId="reset-form"
        action={resetAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[
          { name: 'code', label: t('reset.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' },
          {
            name: 'password',
            label: t('reset.password'),
            type: 'password',
            autoComplete: 'new-password',
            required: true,
            maxLength: settings.password_policy.max_length,
            hint: t('signup.passwordHint', { min: settings.password_policy.min_length }),
          },
        ]}
        buttons={[
          { label: t('reset.submit'), name: 'intent', value: 'reset', testId: 'reset' },
          { label: t('reset.resend'), name: 'intent', value: 'resend', variant: 'secondary', formNoValidate: true, testId: 'resend' },
        ]}
      />
      <p className="mt-6 text-sm">
        <TextLink back href={flowHref(locale, 'login', view.uid)}>{t('forgot.backToSignIn')}</TextLink>
      </p>
    </PageFrame>
  );
}
