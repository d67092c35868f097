import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { pageInput, type PageProps } from '@/app/_lib/page-props';

const known = [
  'invalid_request', 'invalid_client', 'invalid_redirect_uri', 'unauthorized_client', 'unsupported_response_type',
  'invalid_scope', 'access_denied', 'session_not_found', 'invalid_grant', 'not_found', 'request_too_large', 'server_error', 'session_expired',
  'login_required',
] as const;

/** Our error page: also what the protocol engine shows for a bad client or redirect URI. */
export default async function ErrorPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = await getTranslations({ locale });
  const code = (known as readonly string[]).includes(query.code ?? '') ? (query.code as (typeof known)[number]) : 'unknown';
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/error" query={{ code: query.code }} heading={t('errorPage.title')}>
      <p role="alert" data-testid="error-page" data-code={code} className="mb-6">
        {t(`errorPage.codes.${code}`)}
      </p>
      <TextLink href={`/${locale}`}>{t('errorPage.backHome')}</TextLink>
    </PageFrame>
  );
}
