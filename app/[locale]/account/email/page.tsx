import { getTranslations } from 'next-intl/server';
import { Alert } from '@/components/Alert';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { loadAccountPage } from '@/app/_lib/account';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { confirmEmailChangeAction, startEmailChangeAction } from './actions';

/** Changing the e-mail address: the new one, then the code sent to it. */
export default async function ChangeEmailPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { session, user, hidden, data } = await loadAccountPage(locale, '/email', { recent: true });
  const t = await getTranslations({ locale });
  const pending = session.pendingEmail;
  const theme = await currentTheme();
  return (
    <PageFrame
      theme={theme}
      locale={locale}
      path="/account/email"
      heading={t('account.emailChange.title')}
      subheading={pending ? t('account.emailChange.sent', { email: pending }) : t('account.emailChange.explain', { email: user.email ?? t('account.none') })}
    >
      {pending && query.notice === 'code_sent' ? <Alert tone="notice">{t('account.emailChange.codeSent')}</Alert> : null}
      {pending ? (
        <>
          <DevOutboxNotice locale={locale} show={data.outboxVisible()} />
          <FlowForm
            key="confirm"
            testId="confirm-email-form"
            action={confirmEmailChangeAction}
            hidden={hidden}
            fields={[{ name: 'code', label: t('confirm.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' }]}
            buttons={[
              { label: t('account.emailChange.confirm'), name: 'intent', value: 'confirm', testId: 'confirm-email' },
              { label: t('account.emailChange.cancel'), name: 'intent', value: 'cancel', variant: 'secondary', formNoValidate: true, testId: 'cancel-email' },
            ]}
          />
        </>
      ) : (
        <FlowForm
          key="start"
          testId="change-email-form"
          action={startEmailChangeAction}
          hidden={hidden}
          fields={[{ name: 'email', label: t('account.emailChange.new'), type: 'email', inputMode: 'email', autoComplete: 'email', required: true, maxLength: 254, dir: 'ltr' }]}
          buttons={[{ label: t('account.emailChange.send'), testId: 'send-email-code' }]}
        />
      )}
      <p className="mt-6 text-sm">
        <TextLink back href={`/${locale}/account`}>{t('account.back')}</TextLink>
      </p>
    </PageFrame>
  );
}
