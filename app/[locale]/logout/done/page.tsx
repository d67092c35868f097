import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import { pageInput, type PageProps } from '@/app/_lib/page-props';

export default async function LoggedOutPage(props: PageProps) {
  const { locale } = await pageInput(props);
  const t = await getTranslations({ locale });
  return (
    <PageFrame locale={locale} path="/logout/done" heading={t('logout.doneTitle')}>
      <p data-testid="signed-out">{t('logout.doneBody')}</p>
    </PageFrame>
  );
}
