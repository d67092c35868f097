/** Plain links to the same page in each language: works without JavaScript. */
export function LanguageSwitcher({ label, options }: { label: string; options: { href: string; name: string; lang: string; current: boolean }[] }) {
  return (
    <nav aria-label={label} className="foyer-language-switcher text-sm">
      <ul className="flex gap-3">
        {options.map((o) => (
          <li key={o.lang}>
            {o.current ? (
              <span aria-current="true" className="font-semibold" lang={o.lang}>{o.name}</span>
            ) : (
              <a href={o.href} lang={o.lang} hrefLang={o.lang} className="underline text-link">{o.name}</a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}
