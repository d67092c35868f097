import type { Metadata } from 'next';
import { hasLocale, NextIntlClientProvider } from 'next-intl';
import { getMessages, getTranslations, setRequestLocale } from 'next-intl/server';
import { notFound } from 'next/navigation';
import type { ReactNode } from 'react';
import { direction } from '@/i18n/locales';
import { routing } from '@/i18n/routing';
import { scriptFontSheet } from '@/server/http/font-files';
import { currentAppliedTheme } from '../_lib/theme';
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
  const t = await getTranslations({ locale, namespace: 'meta' });
  // Client components only need the error screen's words; the rest stays on the server.
  const { errorPage } = await getMessages({ locale });
  // A content-hashed stylesheet per theme: cached forever, and the CSP needs no inline style.
  const { stylesheet } = await currentAppliedTheme();
  const fontSheet = scriptFontSheet(locale);
  return (
    <html lang={locale} dir={direction(locale)}>
      <head>
        <link rel="stylesheet" href={stylesheet} />
        {fontSheet && <link rel="stylesheet" href={fontSheet} />}
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
