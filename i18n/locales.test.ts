import { describe, expect, it } from 'vitest';
import { direction, knownLocales, localeMatcher, localeName, locales, matchLocale, pickLocale } from './locales';

describe('locale choice', () => {
  it('matches the first supported tag by quality, then by order', () => {
    expect(matchLocale('fr-FR,ar;q=0.8,en;q=0.9')).toBe(locales.includes('fr' as never) ? 'fr' : 'en');
    expect(matchLocale('ar-EG en')).toBe('ar');
    expect(matchLocale('xx, yy')).toBeUndefined();
    expect(matchLocale('en; q=0, ar; q=0.3')).toBe('ar');
    expect(matchLocale('*')).toBeUndefined();
    expect(matchLocale('')).toBeUndefined();
  });

  it('falls back by region to the variant its readers read (every language Foyer describes)', () => {
    const match = localeMatcher(knownLocales);
    const table: [string, string | undefined][] = [
      ['pt-BR', 'pt-BR'],
      ['pt', 'pt-BR'],
      ['pt-AO', 'pt-PT'],
      ['pt-MZ', 'pt-PT'],
      ['pt-PT', 'pt-PT'],
      ['es-MX', 'es-419'],
      ['es-AR', 'es-419'],
      ['es-US', 'es-419'],
      ['es-419', 'es-419'],
      ['es-ES', 'es'],
      ['es', 'es'],
      ['zh-HK', 'zh-Hant'],
      ['zh-TW', 'zh-Hant'],
      ['zh-Hant-HK', 'zh-Hant'],
      ['zh-CN', 'zh-Hans'],
      ['zh-SG', 'zh-Hans'],
      ['zh', 'zh-Hans'],
      ['zh-Hans', 'zh-Hans'],
      ['zh_TW', 'zh-Hant'],
      ['nn-NO', 'nb'],
      ['no', 'nb'],
      ['de-AT', 'de'],
      ['fr-CA', 'fr'],
      ['ar-EG', 'ar'],
      ['he-IL', 'he'],
      ['sr-Cyrl-RS', 'sr'],
      ['ur-PK', 'ur'],
      ['JA-jp', 'ja'],
      ['tlh', undefined],
    ];
    for (const [tag, want] of table) expect(match(tag), tag).toBe(want);
    // Quality wins over order, and an unsupported first choice falls through to the next one.
    expect(match('tlh, pt-AO;q=0.9, de;q=0.95')).toBe('de');
  });

  it('prefers ui_locales, then lang, the user, the cookie, then Accept-Language', () => {
    expect(pickLocale({ requested: ['ar', 'en'], cookie: 'en', acceptLanguage: 'en' })).toBe('ar');
    // ui_locales with nothing supported: Cognito's lang is next.
    expect(pickLocale({ requested: ['xx yy', 'ar'], cookie: 'en' })).toBe('ar');
    expect(pickLocale({ requested: [undefined, undefined], user: 'ar', cookie: 'en', acceptLanguage: 'en' })).toBe('ar');
    expect(pickLocale({ requested: ['zz'], cookie: 'ar', acceptLanguage: 'en' })).toBe('ar');
    expect(pickLocale({ cookie: 'bogus', acceptLanguage: 'ar-SA,en;q=0.5' })).toBe('ar');
    expect(pickLocale({})).toBe('en');
  });

  it('knows which way each locale reads and its own name', () => {
    expect(direction('ar')).toBe('rtl');
    expect(direction('en')).toBe('ltr');
    expect(localeName('ar')).toBe('العربية');
    for (const l of locales) expect(localeName(l).length).toBeGreaterThan(1);
  });
});
