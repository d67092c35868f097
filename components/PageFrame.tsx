import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { locales, type Locale } from '@/i18n/locales';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Shell } from './Shell';

/** A hosted screen: the card, the title, and links to this same screen in every language. */
export async function PageFrame({
  locale,
  path,
  query,
  heading,
  subheading,
  children,
}: {
  locale: Locale;
  path: string;
  query?: Record<string, string | undefined>;
  heading: string;
  subheading?: string;
  children: ReactNode;
}) {
  const t = await getTranslations({ locale, namespace: 'meta' });
  const search = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => !!e[1])).toString();
  const options = await Promise.all(
    locales.map(async (l) => ({
      lang: l,
      name: (await getTranslations({ locale: l, namespace: 'meta' }))('languageName'),
      href: `/${l}${path}${search ? `?${search}` : ''}`,
      current: l === locale,
    })),
  );
  return (
    <Shell heading={heading} subheading={subheading} top={<LanguageSwitcher label={t('switchLanguage')} options={options} />}>
      {children}
    </Shell>
  );
}
