import { getTranslations } from 'next-intl/server';
import { notFound } from 'next/navigation';
import { Button } from '@/components/Button';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { previewRequest } from '@/app/_lib/preview';
import { runtime } from '@/server/runtime-handle';

/**
 * RP-initiated logout without a valid id_token_hint: ask first. The form posts to the provider.
 * On the theme editor's preview: a sample app, and no token (a post would be refused).
 */
export default async function LogoutPage(props: PageProps) {
  const { locale, query } = await pageInput(props);
  const t = await getTranslations({ locale });
  const preview = await previewRequest();
  if (!preview && !query.xsrf) notFound();
  const client = !preview && query.client_id ? await (await runtime()).pool.clients.find({ clientId: query.client_id }) : undefined;
  const app = preview ? t('preview.appName') : client ? (client.client_name ?? client.client_id) : undefined;
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/logout" query={{ xsrf: query.xsrf, client_id: query.client_id }} heading={t('logout.title')}>
      <p className="mb-6">{app ? t('logout.explain', { app }) : t('logout.explainGeneric')}</p>
      <form method="post" action="/logout/confirm" data-testid="logout-form" className="flex flex-col gap-3">
        <input type="hidden" name="xsrf" value={query.xsrf ?? ''} />
        <Button type="submit" name="logout" value="yes" data-testid="confirm-logout">
          {t('logout.confirm')}
        </Button>
        <a href={`/${locale}`} className="redirect-customizable text-center text-link underline">
          {t('logout.cancel')}
        </a>
      </form>
    </PageFrame>
  );
}
