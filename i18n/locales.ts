/** The locales Foyer ships; every one is complete (checked by a test). Pure data: no Next.js here. */
export const locales = [
  'en', 'ar', 'he', 'fa', 'ur', 'de', 'fr', 'es', 'es-419', 'pt-BR', 'pt-PT',
  'it', 'nl', 'sv', 'da', 'nb', 'fi', 'pl', 'cs', 'sk', 'hu', 'ro',
  'bg', 'el', 'ru', 'uk', 'tr', 'hi', 'bn', 'th', 'vi', 'id', 'ms',
  'zh-Hans', 'zh-Hant', 'ja', 'ko', 'hr', 'sr', 'sl', 'lt', 'lv', 'et', 'ca',
] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/**
 * Every language Foyer has or will have, in its own name (what a switcher shows: a reader finds
 * their language whatever the page's), and which way it reads. A locale ships once its catalogue
 * is in `messages/` and it is listed in `locales`.
 */
const known = {
  en: { name: 'English', dir: 'ltr' },
  ar: { name: 'العربية', dir: 'rtl' },
  he: { name: 'עברית', dir: 'rtl' },
  fa: { name: 'فارسی', dir: 'rtl' },
  ur: { name: 'اردو', dir: 'rtl' },
  de: { name: 'Deutsch', dir: 'ltr' },
  fr: { name: 'Français', dir: 'ltr' },
  es: { name: 'Español (España)', dir: 'ltr' },
  'es-419': { name: 'Español (Latinoamérica)', dir: 'ltr' },
  'pt-BR': { name: 'Português (Brasil)', dir: 'ltr' },
  'pt-PT': { name: 'Português (Portugal)', dir: 'ltr' },
  it: { name: 'Italiano', dir: 'ltr' },
  nl: { name: 'Nederlands', dir: 'ltr' },
  sv: { name: 'Svenska', dir: 'ltr' },
  da: { name: 'Dansk', dir: 'ltr' },
  nb: { name: 'Norsk bokmål', dir: 'ltr' },
  fi: { name: 'Suomi', dir: 'ltr' },
  pl: { name: 'Polski', dir: 'ltr' },
  cs: { name: 'Čeština', dir: 'ltr' },
  sk: { name: 'Slovenčina', dir: 'ltr' },
  hu: { name: 'Magyar', dir: 'ltr' },
  ro: { name: 'Română', dir: 'ltr' },
  bg: { name: 'Български', dir: 'ltr' },
  el: { name: 'Ελληνικά', dir: 'ltr' },
  ru: { name: 'Русский', dir: 'ltr' },
  uk: { name: 'Українська', dir: 'ltr' },
  tr: { name: 'Türkçe', dir: 'ltr' },
  hi: { name: 'हिन्दी', dir: 'ltr' },
  bn: { name: 'বাংলা', dir: 'ltr' },
  th: { name: 'ไทย', dir: 'ltr' },
  vi: { name: 'Tiếng Việt', dir: 'ltr' },
  id: { name: 'Bahasa Indonesia', dir: 'ltr' },
  ms: { name: 'Bahasa Melayu', dir: 'ltr' },
  'zh-Hans': { name: '简体中文', dir: 'ltr' },
  'zh-Hant': { name: '繁體中文', dir: 'ltr' },
  ja: { name: '日本語', dir: 'ltr' },
  ko: { name: '한국어', dir: 'ltr' },
  hr: { name: 'Hrvatski', dir: 'ltr' },
  sr: { name: 'Српски', dir: 'ltr' },
  sl: { name: 'Slovenščina', dir: 'ltr' },
  lt: { name: 'Lietuvių', dir: 'ltr' },
  lv: { name: 'Latviešu', dir: 'ltr' },
  et: { name: 'Eesti', dir: 'ltr' },
  ca: { name: 'Català', dir: 'ltr' },
} as const satisfies Record<string, { name: string; dir: 'ltr' | 'rtl' }>;

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (locales as readonly string[]).includes(v);
}

export function direction(locale: Locale): 'ltr' | 'rtl' {
  return known[locale].dir;
}

/** The locale's name in its own language. */
export function localeName(locale: Locale): string {
  return known[locale].name;
}

export const rtlLocales: ReadonlySet<Locale> = new Set(locales.filter((l) => direction(l) === 'rtl'));

/** Spanish as written in the Americas (and the US): es-419, as Google and Apple group them. */
const americasSpanish = new Set(['419', 'mx', 'ar', 'co', 'cl', 'pe', 've', 'ec', 'gt', 'cu', 'bo', 'do', 'hn', 'py', 'sv', 'ni', 'cr', 'pa', 'uy', 'pr', 'us']);
const traditionalChinese = new Set(['tw', 'hk', 'mo']);

/**
 * The shipped locales a language tag may be served in, best first: itself, then the regional
 * variant its readers read (pt-AO → pt-PT, es-MX → es-419, zh-HK → zh-Hant, nn → nb), then its
 * base language.
 */
function candidates(tag: string): string[] {
  const [lang, ...rest] = tag.split('-');
  const script = rest.find((s) => s.length === 4);
  const region = rest.find((s) => s.length === 2 || /^\d{3}$/.test(s));
  const out = [tag];
  if (lang === 'zh') out.push(script === 'hant' || (!script && region && traditionalChinese.has(region)) ? 'zh-hant' : 'zh-hans');
  if (lang === 'pt') out.push(region && region !== 'br' ? 'pt-pt' : 'pt-br');
  if (lang === 'es') out.push(region && americasSpanish.has(region) ? 'es-419' : 'es');
  if (lang === 'no' || lang === 'nn') out.push('nb');
  out.push(lang);
  return out;
}

/**
 * A matcher over `supported`: the first supported tag of a list like `ar-EG en` (ui_locales) or an
 * Accept-Language header, with the regional fallbacks above.
 */
export function localeMatcher<L extends string>(supported: readonly L[]): (list: string | undefined | null) => L | undefined {
  const byLowerCase = new Map<string, L>(supported.map((l) => [l.toLowerCase(), l]));
  return (list) => {
    if (!list) return undefined;
    // Accept-Language is comma-separated (with `;q=` weights), ui_locales space-separated.
    const tags = list
      .split(list.includes(',') ? ',' : /\s+/)
      .map((part, i) => {
        const [tag, ...params] = part.split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return { tag: tag.trim().toLowerCase().replace(/_/g, '-'), q: q ? Number(q.trim().slice(2)) || 0 : 1, i };
      })
      .filter((t) => t.q > 0 && /^[a-z]{2,3}(-[a-z0-9]{1,8})*$/.test(t.tag))
      // Highest quality first; equal ones in the order given (sort is stable).
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const { tag } of tags) {
      for (const c of candidates(tag)) {
        const found = byLowerCase.get(c);
        if (found) return found;
      }
    }
    return undefined;
  };
}

/** Every language described here, shipped or not (for tests of the fallbacks). */
export const knownLocales = Object.keys(known) as (keyof typeof known)[];

export const matchLocale = localeMatcher(locales);

/**
 * The design's order: what the app asked for (`ui_locales`, then Cognito's `lang`), the user's
 * own `locale` attribute when the user is known, the cookie the switcher set, then Accept-Language.
 */
export function pickLocale(opts: {
  requested?: readonly (string | null | undefined)[];
  user?: string | null;
  cookie?: string | null;
  acceptLanguage?: string | null;
}): Locale {
  for (const asked of opts.requested ?? []) {
    const found = matchLocale(asked);
    if (found) return found;
  }
  return matchLocale(opts.user) ?? (isLocale(opts.cookie) ? opts.cookie : undefined) ?? matchLocale(opts.acceptLanguage) ?? defaultLocale;
}
