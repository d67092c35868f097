import type { Metadata } from 'next';
import { hasLocale, NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations, setRequestLocale } from 'next-intl/server';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { direction } from '@/i18n/locales';
import { routing } from '@/i18n/routing';
import { builtInTheme, themeCss } from '@/themes/css';
import '../globals.css';

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const { locale } = await params;
  const t = await getTranslations({ locale: hasLocale(routing.locales, locale) ? locale : 'en', namespace: 'meta' });
  return { title: t('product'), robots: { index: false } };
}

export default async function LocaleLayout({ children, params }: { children: ReactNode; params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  const nonce = (await headers()).get('x-nonce') ?? undefined;
  const t = await getTranslations({ locale, namespace: 'meta' });
  // Client components only need the error screen's words; the rest stays on the server.
  const { errorPage } = await getMessages({ locale });
  return (
    <html lang={locale} dir={direction(locale)}>
      <head>
        <style nonce={nonce} dangerouslySetInnerHTML={{ __html: themeCss(builtInTheme) }} />
      </head>
      <body>
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:p-2 focus:bg-surface">
          {t('skipToContent')}
        </a>
        <NextIntlClientProvider locale={locale} messages={{ errorPage }}>
          {children}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
