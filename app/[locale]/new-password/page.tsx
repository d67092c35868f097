import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { loadFlowPage } from '@/app/_lib/flow';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { newPasswordAction } from './actions';

export default async function NewPasswordPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const { view, csrf, settings, appName, theme } = await loadFlowPage(locale, query.uid, 'new-password');
  const t = await getTranslations({ locale });
  return (
    <PageFrame theme={theme} appName={appName} locale={locale} path="/new-password" query={{ uid: view.uid }} heading={t('newPassword.title')} subheading={t('newPassword.explain')}>
      <FlowForm
        testId="new-password-form"
        action={newPasswordAction}
        hidden={{ uid: view.uid, csrf, locale }}
        fields={[
          {
            name: 'password',
            label: t('newPassword.password'),
            type: 'password',
            autoComplete: 'new-password',
            required: true,
            maxLength: settings.password_policy.max_length,
            hint: t('signup.passwordHint', { min: settings.password_policy.min_length }),
            autoFocus: true,
          },
        ]}
        buttons={[{ label: t('newPassword.submit'), testId: 'save-password' }]}
      />
    </PageFrame>
  );
}
