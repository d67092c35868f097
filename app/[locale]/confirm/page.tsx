import { getTranslations } from 'next-intl/server';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { requestInfo } from '@/app/_lib/request';
import { confirmAction } from './actions';
import { leftToRight } from '@/app/_lib/bidi';

export default async function ConfirmPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, showOutbox, view, step, csrf, appName, theme } = await loadFlowPage(locale, query.uid, 'confirm-account');
  const t = await getTranslations({ locale });
  // A masked phone number starts with its calling code (+44 •••• ••23); a masked e-mail never does.
  const texted = step.destination?.startsWith('+') ?? false;
  return (
    <PageFrame
      theme={theme}
      appName={appName}
      locale={locale}
      path="/confirm"
      query={{ uid: view.uid }}
      heading={t('confirm.title')}
      subheading={
        texted ? t('confirm.textedTo', { destination: leftToRight(step.destination!) }) : step.destination ? t('confirm.sentTo', { destination: leftToRight(step.destination) }) : t('confirm.sentNoDestination')
      }
    >
      {texted ? <DevOutboxNotice locale={locale} show={rt.outboxVisibleTo((await requestInfo()).ip, 'sms')} channel="sms" /> : <DevOutboxNotice locale={locale} show={showOutbox} />}
      <FlowForm
        testId="confirm-form"
        action={confirmAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[{ name: 'code', label: t('confirm.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, autoFocus: true, dir: 'ltr' }]}
        buttons={[
          { label: t('confirm.submit'), name: 'intent', value: 'confirm', testId: 'confirm' },
          { label: t('confirm.resend'), name: 'intent', value: 'resend', variant: 'secondary', formNoValidate: true, testId: 'resend' },
        ]}
      />
      <p className="mt-6 text-sm">
        <TextLink back href={flowHref(locale, 'login', view.uid)}>{t('forgot.backToSignIn')}</TextLink>
      </p>
    </PageFrame>
  );
}
