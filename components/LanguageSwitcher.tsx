export interface LanguageOption {
  href: string;
  /** The language's name in itself. */
  name: string;
  lang: string;
  current: boolean;
}

/**
 * The page in every language: a disclosure (`<details>`, no JavaScript needed, opened by Enter or
 * Space) listing each language in its own name, each link keeping the screen and its flow.
 */
export function LanguageSwitcher({ label, options }: { label: string; options: LanguageOption[] }) {
  const current = options.find((o) => o.current);
  return (
    <nav aria-label={label} className="foyer-language-switcher text-sm">
      <details>
        <summary className="foyer-language-current inline-flex min-h-6 cursor-pointer items-center gap-1 text-link underline">
          <svg aria-hidden="true" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2">
            <circle cx="12" cy="12" r="10" />
            <path d="M2 12h20M12 2a15 15 0 0 1 0 20M12 2a15 15 0 0 0 0 20" />
          </svg>
          <span className="sr-only">{label}: </span>
          <span lang={current?.lang}>{current?.name}</span>
        </summary>
        <ul className="foyer-language-list mt-2 grid grid-cols-[repeat(auto-fill,minmax(min(9rem,100%),1fr))] gap-x-4 gap-y-1">
          {options.map((o) => (
            <li key={o.lang}>
              {o.current ? (
                <span aria-current="true" className="inline-block min-h-6 py-0.5 font-semibold" lang={o.lang}>
                  {o.name}
                </span>
              ) : (
                <a href={o.href} lang={o.lang} hrefLang={o.lang} className="inline-block min-h-6 py-0.5 text-link underline">
                  {o.name}
                </a>
              )}
            </li>
          ))}
        </ul>
      </details>
    </nav>
  );
}
