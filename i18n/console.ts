import { createTranslator } from 'next-intl';
import ar from '../messages/console/ar.json';
import en from '../messages/console/en.json';

/**
 * The admin console's own catalogue (issue 12): English and Arabic only, apart from the hosted
 * UI's, so the other languages need no translation of it; in them the console shows in English.
 * Typed against the English catalogue: a missing key fails the type check.
 */
export type ConsoleLocale = 'en' | 'ar';
export type ConsoleMessages = typeof en;

export const consoleCatalogues: Record<ConsoleLocale, ConsoleMessages> = { en, ar };

export const consoleLocaleOf = (locale: string): ConsoleLocale => (locale === 'ar' ? 'ar' : 'en');

export function consoleTranslator(locale: string) {
  const l = consoleLocaleOf(locale);
  return createTranslator({ locale: l, messages: consoleCatalogues[l] });
}

export type ConsoleT = ReturnType<typeof consoleTranslator>;
