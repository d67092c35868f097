import { consoleSignInHref, isConsolePath } from '@/app/_lib/console';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { Alert } from '@/components/Alert';
import { Shell } from '@/components/Shell';
import { TextLink } from '@/components/TextLink';
import { currentTheme } from '@/app/_lib/theme';
import { consoleTranslator } from '@/i18n/console';

/**
 * Where a console form posted after its session ended is sent (a 303 from the action, answered
 * 401 by the proxy): nothing was changed, and the sign-in leads back to the page it came from
 * (`return`, a console path).
 */
export default async function ConsoleSessionEndedPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = consoleTranslator(locale);
  const back = isConsolePath(query.return) ? query.return : `/${locale}/admin`;
  return (
    <Shell theme={await currentTheme()} heading={t('sessionEnded.title')}>
      <Alert tone="error" testId="console-session-ended">
        {t('sessionEnded.unsaved')}
      </Alert>
      <TextLink href={consoleSignInHref(locale, back)} testId="console-sign-in-again">
        {t('sessionEnded.signIn')}
      </TextLink>
    </Shell>
  );
}
