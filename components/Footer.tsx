import type { ResolvedTheme } from '@/themes/schema';

export interface FooterLabels {
  /** The footer navigation's accessible name. */
  label: string;
  terms: string;
  privacy: string;
  help: string;
  poweredBy: string;
}

const kinds = ['terms', 'privacy', 'help'] as const;

/** The theme's legal and help links (this locale's, else its `default`) and "Powered by Foyer". */
export function Footer({ theme, locale, labels }: { theme: ResolvedTheme; locale: string; labels: FooterLabels }) {
  const links = kinds.flatMap((k) => {
    const href = theme.links[k]?.[locale] ?? theme.links[k]?.default;
    return href ? [{ k, href }] : [];
  });
  if (links.length === 0 && !theme.showPoweredBy) return null;
  return (
    <footer className="foyer-footer legalText-customizable w-full max-w-md mx-auto mt-6 flex flex-wrap items-center justify-center gap-x-4 gap-y-2 text-sm text-muted">
      {links.length > 0 ? (
        <nav aria-label={labels.label}>
          <ul className="flex flex-wrap gap-x-4 gap-y-2">
            {links.map(({ k, href }) => (
              <li key={k}>
                <a href={href} className="foyer-footer-link text-link underline underline-offset-2" rel="noopener">
                  {labels[k]}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
      {theme.showPoweredBy ? <p className="foyer-powered-by">{labels.poweredBy}</p> : null}
    </footer>
  );
}
