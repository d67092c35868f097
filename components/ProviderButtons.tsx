/** One button (a plain link: works without JavaScript) per outside identity provider. */
export interface ProviderButton {
  name: string;
  label: string;
  href: string;
  /** A self-hosted SVG under /idp-logos/. */
  logo: string;
}

export function ProviderButtons({ buttons, description, testId }: { buttons: ProviderButton[]; description?: string; testId?: string }) {
  return (
    <>
      {description ? <p className="idpDescription-customizable text-muted mb-3">{description}</p> : null}
      <ul className="foyer-idp-buttons flex flex-col gap-3" data-testid={testId}>
        {buttons.map((b) => (
          <li key={b.name}>
            <a
              href={b.href}
              data-testid={`idp-${b.name}`}
              className="idpButton-customizable flex w-full items-center justify-center gap-3 border-2 border-line bg-surface text-ink rounded-theme px-4 py-2.5 font-semibold"
            >
              {/* The logo sits on white so every brand mark reads in light and dark themes. */}
              <span className="inline-flex shrink-0 rounded bg-white p-1" aria-hidden="true">
                {/* eslint-disable-next-line @next/next/no-img-element -- a tiny static SVG; next/image would add an inline style the CSP refuses */}
                <img src={b.logo} alt="" width={18} height={18} />
              </span>
              <span>{b.label}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** A line with a word in the middle ("or") between the buttons and the password form. */
export function Divider({ label }: { label: string }) {
  return (
    <div className="foyer-divider my-6 flex items-center gap-3 text-muted" role="separator" aria-label={label}>
      <span className="h-px flex-1 bg-line" />
      <span aria-hidden="true">{label}</span>
      <span className="h-px flex-1 bg-line" />
    </div>
  );
}
