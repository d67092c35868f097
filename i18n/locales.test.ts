import { describe, expect, it } from 'vitest';
import { direction, matchLocale, pickLocale } from './locales';

describe('locale choice', () => {
  it('matches the first supported tag by quality', () => {
    expect(matchLocale('fr-FR,ar;q=0.8,en;q=0.9')).toBe('en');
    expect(matchLocale('ar-EG en')).toBe('ar');
    expect(matchLocale('fr, de')).toBeUndefined();
    expect(matchLocale('')).toBeUndefined();
  });
  it('prefers ui_locales / lang, then the cookie, then Accept-Language', () => {
    expect(pickLocale({ requested: 'ar', cookie: 'en', acceptLanguage: 'en' })).toBe('ar');
    expect(pickLocale({ requested: 'zz', cookie: 'ar', acceptLanguage: 'en' })).toBe('ar');
    expect(pickLocale({ cookie: 'bogus', acceptLanguage: 'ar-SA,en;q=0.5' })).toBe('ar');
    expect(pickLocale({})).toBe('en');
  });
  it('knows which way each locale reads', () => {
    expect(direction('ar')).toBe('rtl');
    expect(direction('en')).toBe('ltr');
  });
});
