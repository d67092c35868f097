import { getTranslations } from 'next-intl/server';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { loadAccountPage } from '@/app/_lib/account';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { confirmPhoneChangeAction, startPhoneChangeAction } from './actions';
import { leftToRight } from '@/app/_lib/bidi';

/** Changing the phone number: the new one, then the code texted to it. */
export default async function ChangePhonePage(props: PageProps) {
  const { locale } = await pageInput(props);
  const { session, user, hidden, data } = await loadAccountPage(locale, '/phone', { recent: true });
  const t = await getTranslations({ locale });
  const pending = session.pendingPhone;
  const theme = await currentTheme();
  return (
    <PageFrame
      theme={theme}
      locale={locale}
      path="/account/phone"
      heading={t('account.phoneChange.title')}
      subheading={pending ? t('account.phoneChange.sent', { phone: leftToRight(pending) }) : t('account.phoneChange.explain', { phone: user.phoneNumber ? leftToRight(user.phoneNumber) : t('account.none') })}
    >
      {pending ? (
        <>
          <DevOutboxNotice locale={locale} show={data.outboxVisible('sms')} channel="sms" />
          <FlowForm
            key="confirm"
            testId="confirm-phone-form"
            action={confirmPhoneChangeAction}
            hidden={hidden}
            fields={[{ name: 'code', label: t('confirm.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' }]}
            buttons={[
              { label: t('account.phoneChange.confirm'), name: 'intent', value: 'confirm', testId: 'confirm-phone' },
              { label: t('account.phoneChange.cancel'), name: 'intent', value: 'cancel', variant: 'secondary', formNoValidate: true, testId: 'cancel-phone' },
            ]}
          />
        </>
      ) : (
        <FlowForm
          key="start"
          testId="change-phone-form"
          action={startPhoneChangeAction}
          hidden={hidden}
          fields={[{ name: 'phone_number', label: t('account.phoneChange.new'), type: 'tel', inputMode: 'tel', autoComplete: 'tel', required: true, maxLength: 32, dir: 'ltr', hint: t('account.phoneChange.hint') }]}
          buttons={[{ label: t('account.phoneChange.send'), testId: 'send-phone-code' }]}
        />
      )}
      <p className="mt-6 text-sm">
        <TextLink back href={`/${locale}/account`}>{t('account.back')}</TextLink>
      </p>
    </PageFrame>
  );
}
