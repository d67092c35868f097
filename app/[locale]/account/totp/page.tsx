import { getTranslations } from 'next-intl/server';
import { FlowForm } from '@/components/FlowForm';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { TotpSetup } from '@/components/TotpSetup';
import { loadAccountPage } from '@/app/_lib/account';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { confirmTotpAction } from './actions';

/** Adds an authenticator app; the secret waits in the account session for the first code. */
export default async function AccountTotpPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const { hidden, data } = await loadAccountPage(locale, '/totp', { recent: true });
  const t = await getTranslations({ locale });
  const { secret, uri } = await data.totpSetup();
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/account/totp" heading={t('mfaSetup.title')} subheading={t('account.totp.explain')}>
      <TotpSetup locale={locale} secret={secret} uri={uri} />
      <FlowForm
        testId="account-totp-form"
        action={confirmTotpAction}
        hidden={hidden}
        fields={[{ name: 'code', label: t('mfa.code'), type: 'text', inputMode: 'numeric', autoComplete: 'one-time-code', required: true, maxLength: 12, dir: 'ltr' }]}
        buttons={[{ label: t('mfaSetup.submit'), testId: 'verify-code' }]}
      />
      <p className="mt-6 text-sm">
        <TextLink back href={`/${locale}/account`}>{t('account.back')}</TextLink>
      </p>
    </PageFrame>
  );
}
