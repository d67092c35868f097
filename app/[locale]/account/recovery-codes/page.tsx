import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { RecoveryCodeList } from '@/components/RecoveryCodeList';
import { TextLink } from '@/components/TextLink';
import { loadAccountPage } from '@/app/_lib/account';
import { pageInput, type PageProps } from '@/app/_lib/page-props';

/** New recovery codes, shown once: a reload shows that they were already shown. */
export default async function AccountRecoveryCodesPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const { rt, data } = await loadAccountPage(locale, '/recovery-codes');
  const t = await getTranslations({ locale });
  const codes = await data.recoveryCodes();
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/account/recovery-codes" heading={t('recoveryCodes.title')} subheading={codes ? t('recoveryCodes.explain') : t('account.recovery.gone')}>
      {codes ? <RecoveryCodeList locale={locale} codes={codes} poolName={(await rt.pool.settings()).name} /> : null}
      <p className="mt-6">
        <TextLink href={`/${locale}/account`}>{codes ? t('account.recovery.saved') : t('account.back')}</TextLink>
      </p>
    </PageFrame>
  );
}
