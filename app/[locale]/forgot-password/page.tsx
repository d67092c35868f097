import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { cognitoAllowed } from '@/app/_lib/federation';
import { DevOutboxNotice } from '@/components/DevOutboxNotice';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { TextLink } from '@/components/TextLink';
import { flowHref, loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { forgotAction } from './actions';

export default async function ForgotPasswordPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { rt, showOutbox, view, csrf, appName, theme } = await loadFlowPage(locale, query.uid, 'first');
  // An app that signs in only through outside providers has no passwords here.
  if (!(await cognitoAllowed(rt, view.clientId))) redirect(flowHref(locale, 'login', view.uid));
  const t = await getTranslations({ locale });
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/forgot-password" query={{ uid: view.uid }} heading={t('forgot.title')} subheading={t('forgot.explain')}>
      <DevOutboxNotice locale={locale} show={showOutbox} />
      <FlowForm
        testId="forgot-form"
        action={forgotAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[{ name: 'identifier', label: t('forgot.identifier'), type: 'text', autoComplete: 'username', required: true, maxLength: 254, autoFocus: true, dir: 'ltr' }]}
        buttons={[{ label: t('forgot.submit'), testId: 'send-code' }]}
      />
      <p className="mt-6 text-sm">
        <TextLink back href={flowHref(locale, 'login', view.uid)}>{t('forgot.backToSignIn')}</TextLink>
      </p>
    </PageFrame>
  );
}
