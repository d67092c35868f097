/** The locales Foyer ships; every one is complete (checked by a test). Pure data: no Next.js here. */
export const locales = ['en', 'ar'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';
export const rtlLocales: ReadonlySet<Locale> = new Set(['ar']);

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (locales as readonly string[]).includes(v);
}

export function direction(locale: Locale): 'ltr' | 'rtl' {
  return rtlLocales.has(locale) ? 'rtl' : 'ltr';
}

/** First supported entry of a list like `ar-EG en` or an Accept-Language header. */
export function matchLocale(list: string | undefined | null): Locale | undefined {
  if (!list) return undefined;
  const tags = list
    .split(/[\s,]+/)
    .map((part) => {
      const [tag, ...params] = part.split(';');
      const q = params.find((p) => p.trim().startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    const base = tag.split('-')[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

/** `ui_locales` / `lang`, then the cookie, then Accept-Language, as the design says. */
export function pickLocale(opts: { requested?: string | null; cookie?: string | null; acceptLanguage?: string | null }): Locale {
  return matchLocale(opts.requested) ?? (isLocale(opts.cookie) ? opts.cookie : undefined) ?? matchLocale(opts.acceptLanguage) ?? defaultLocale;
}
