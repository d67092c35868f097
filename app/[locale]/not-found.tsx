import { getLocale, getTranslations } from 'next-intl/server';
import { Shell } from '@/components/Shell';
import { TextLink } from '@/components/TextLink';
import { currentTheme } from '@/app/_lib/theme';

export default async function NotFound() {
  const locale = await getLocale();
  const t = await getTranslations({ locale });
  return (
    <Shell theme={await currentTheme()} heading={t('notFound.title')}>
      <p data-testid="not-found" className="mb-6">{t('notFound.body')}</p>
      <TextLink href={`/${locale}`}>{t('common.backHome')}</TextLink>
    </Shell>
  );
}
