import { hasLocale } from 'next-intl';
import { getRequestConfig } from 'next-intl/server';
import { headers } from 'next/headers';
import { startedRuntime } from '../server/runtime-handle';
import { routing } from './routing';

export default getRequestConfig(async ({ requestLocale }) => {
  const requested = await requestLocale;
  const locale = hasLocale(routing.locales, requested) ? requested : routing.defaultLocale;
  // The operators' custom text merged in (cached, fresh within a second); the shipped catalogue
  // when no runtime runs (a build prerendering).
  const rt = startedRuntime();
  if (!rt) return { locale, messages: (await import(`../messages/${locale}.json`)).default };
  const { pool } = await rt;
  // A preview screen whose token carries unsaved custom text (the console's editor) shows it; the
  // proxy passes the token on /<locale>/preview/* only.
  const token = (await headers()).get('x-foyer-preview');
  const previewed = token ? await pool.customText.previewMessages(locale, token) : undefined;
  return { locale, messages: previewed ?? (await pool.customText.messages(locale)) };
});
