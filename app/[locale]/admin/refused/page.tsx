import { consoleSignInHref } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { Alert } from '@/components/Alert';
import { Shell } from '@/components/Shell';
import { TextLink } from '@/components/TextLink';
import { currentTheme } from '@/app/_lib/theme';
import { consoleTranslator } from '@/i18n/console';

/**
 * Where the admin guard sends a signed-in user who may not use the console (answered 403 by the
 * proxy): not in the admin group, or signed in without a second factor, which the account pages
 * can set up before a fresh sign-in.
 */
export default async function ConsoleRefusedPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = consoleTranslator(locale);
  const reason = query.reason === 'no_mfa' ? 'no_mfa' : 'not_admin';
  return (
    <Shell theme={await currentTheme()} heading={t('refused.title')}>
      <Alert tone="error" testId="console-refused">
        {t(`refused.${reason}`)}
      </Alert>
      {reason === 'no_mfa' ? (
        <ul className="flex flex-col gap-2">
          <li>
            <TextLink href={`/${locale}/account`}>{t('refused.setUpMfa')}</TextLink>
          </li>
          <li>
            <TextLink href={`${consoleSignInHref(locale, `/${locale}/admin`)}&fresh=1`}>{t('refused.signInAgain')}</TextLink>
          </li>
        </ul>
      ) : null}
    </Shell>
  );
}
