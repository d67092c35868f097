import { notFound } from 'next/navigation';
import { isLocale, type Locale } from '@/i18n/locales';

export interface PageProps {
  params: Promise<{ locale: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

/** The locale and the (already shape-checked by the proxy) single-valued query parameters. */
export async function pageInput(props: PageProps): Promise<{ locale: Locale; query: Record<string, string | undefined> }> {
  const { locale } = await props.params;
  if (!isLocale(locale)) notFound();
  const raw = await props.searchParams;
  const query: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(raw)) query[k] = typeof v === 'string' ? v : undefined;
  return { locale, query };
}
