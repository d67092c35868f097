import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { loadAccountPage } from '@/app/_lib/account';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { changePasswordAction } from './actions';

export default async function ChangePasswordPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const { hidden, rt } = await loadAccountPage(locale, '/password');
  const t = await getTranslations({ locale });
  const policy = (await rt.pool.settings()).password_policy;
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/account/password" heading={t('account.password.title')} subheading={t('account.password.explain')}>
      <FlowForm
        testId="change-password-form"
        action={changePasswordAction}
        hidden={hidden}
        fields={[
          { name: 'current_password', label: t('account.password.current'), type: 'password', autoComplete: 'current-password', required: true, maxLength: 1024 },
          { name: 'new_password', label: t('account.password.new'), type: 'password', autoComplete: 'new-password', required: true, maxLength: 1024, hint: t('signup.passwordHint', { min: policy.min_length }) },
        ]}
        buttons={[{ label: t('account.password.submit'), testId: 'change-password' }]}
      />
      <p className="mt-6 text-sm">
        <TextLink back href={`/${locale}/account`}>{t('account.back')}</TextLink>
      </p>
    </PageFrame>
  );
}
