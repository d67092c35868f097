import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { pageInput, type PageProps } from '@/app/_lib/page-props';

export default async function LoggedOutPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const t = await getTranslations({ locale });
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="/logout/done" heading={t('logout.doneTitle')}>
      <p data-testid="signed-out">{t('logout.doneBody')}</p>
    </PageFrame>
  );
}
