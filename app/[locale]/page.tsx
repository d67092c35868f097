import { getTranslations } from 'next-intl/server';
import { PageFrame } from '@/components/PageFrame';
import { currentTheme } from '@/app/_lib/theme';
import { TextLink } from '@/components/TextLink';
import { pageInput, type PageProps } from '@/app/_lib/page-props';
import { requestInfo } from '@/app/_lib/request';
import { runtime } from '@/server/runtime-handle';

export default async function Home(props: PageProps) {
  const { locale } = await pageInput(props);
  const t = await getTranslations({ locale });
  const rt = await runtime();
  const theme = await currentTheme();
  return (
    <PageFrame theme={theme} locale={locale} path="" heading={t('home.title')} subheading={t('home.tagline')}>
      <p className="mb-4">{t('home.demoExplain')}</p>
      <a href={`/${locale}/demo`} data-testid="demo-link" className="block text-center bg-brand text-brand-ink rounded-theme px-4 py-2.5 font-semibold mb-6">
        {t('home.demoLink')}
      </a>
      <ul className="flex flex-col gap-2 text-sm">
        <li>
          <TextLink href={`/${locale}/account`} testId="account-link">{t('account.manage')}</TextLink>
        </li>
        <li>
          <TextLink href="/.well-known/openid-configuration">{t('home.discovery')}</TextLink>
        </li>
        {rt.outboxVisibleTo((await requestInfo()).ip) ? (
          <li>
            <TextLink href={`/${locale}/dev/outbox`}>{t('home.outbox')}</TextLink>
          </li>
        ) : null}
      </ul>
    </PageFrame>
  );
}
