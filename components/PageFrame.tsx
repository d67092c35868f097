import { getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { localeName, locales, type Locale } from '@/i18n/locales';
import type { ResolvedTheme } from '@/themes/schema';
import { Footer } from './Footer';
import { LanguageSwitcher } from './LanguageSwitcher';
import { Shell } from './Shell';

/** A hosted screen in its theme: the card, the title, links to this same screen in every language, the footer. */
export async function PageFrame({
  locale,
  theme,
  appName,
  path,
  query,
  heading,
  subheading,
  children,
}: {
  locale: Locale;
  theme: ResolvedTheme;
  /** The app being signed in to, shown in the banner. */
  appName?: string;
  path: string;
  query?: Record<string, string | undefined>;
  heading: string;
  subheading?: string;
  children: ReactNode;
}) {
  const t = await getTranslations({ locale });
  const search = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => !!e[1])).toString();
  const options = locales.map((l) => ({ lang: l, name: localeName(l), href: `/${l}${path}${search ? `?${search}` : ''}`, current: l === locale }));
  const labels = { label: t('footer.label'), terms: t('footer.terms'), privacy: t('footer.privacy'), help: t('footer.help'), poweredBy: t('footer.poweredBy') };
  return (
    <Shell
      theme={theme}
      appName={appName}
      heading={heading}
      subheading={subheading}
      top={<LanguageSwitcher label={t('meta.switchLanguage')} options={options} />}
      footer={<Footer theme={theme} locale={locale} labels={labels} />}
    >
      {children}
    </Shell>
  );
}
