import type { ReactNode } from 'react';
import { assetUrl } from '@/themes/assets';
import type { ResolvedTheme } from '@/themes/schema';
import { Logo } from './Logo';

type Layout = ResolvedTheme['layout'];

/** Where the content sits in each layout: a centred card, a card beside the image, the whole page. */
const frame: Record<Layout, { root: string; banner: string; body: string; card: string }> = {
  card: { root: 'px-4 py-8', banner: 'max-w-md', body: 'flex-1 w-full flex justify-center items-start', card: 'w-full max-w-md bg-surface border border-line rounded-theme p-6 sm:p-8 shadow-sm' },
  split: {
    root: 'px-4 py-8',
    banner: 'max-w-5xl',
    body: 'flex-1 w-full max-w-5xl mx-auto grid gap-6 lg:grid-cols-2 lg:items-stretch',
    card: 'w-full max-w-md mx-auto self-start lg:self-center bg-surface border border-line rounded-theme p-6 sm:p-8 shadow-sm',
  },
  // The surface bleeds to the edges; the banner and footer sit on the page's background.
  full: { root: 'px-4 py-4', banner: 'max-w-md', body: 'flex-1 -mx-4 flex bg-surface px-4 py-8', card: 'w-full max-w-md mx-auto self-start' },
};

/**
 * The frame of every hosted screen, laid out by the theme: a banner (logo, app name, `top`), the
 * card with the heading and content, and a footer. Every part carries its customisation hook.
 */
export function Shell({
  theme,
  heading,
  subheading,
  children,
  top,
  appName,
  footer,
}: {
  theme: ResolvedTheme;
  heading: string;
  subheading?: string;
  children: ReactNode;
  top?: ReactNode;
  /** The app being signed in to, where a person should know which one it is. */
  appName?: string;
  footer?: ReactNode;
}) {
  const layout = frame[theme.layout];
  const side = theme.layout === 'split' && theme.sideImage ? assetUrl(theme.sideImage) : null;
  const favicon = theme.favicon && assetUrl(theme.favicon);
  return (
    <div className={`foyer-root foyer-layout-${theme.layout} background-customizable min-h-screen text-ink flex flex-col ${layout.root}`}>
      {/* React places it in the document's head. */}
      {favicon ? <link rel="icon" href={favicon} /> : null}
      <header className={`banner-customizable w-full ${layout.banner} mx-auto flex flex-wrap items-center gap-4 mb-6`}>
        <Logo theme={theme} />
        {appName ? <p className="foyer-app-name font-semibold">{appName}</p> : null}
        {/* An open language list takes the banner's whole width. */}
        <div className="ms-auto has-[details[open]]:basis-full">{top}</div>
      </header>
      <div className={layout.body}>
        {side ? (
          // Decoration only: hidden from assistive technology, and on narrow screens.
          // eslint-disable-next-line @next/next/no-img-element -- a theme asset; next/image would add an inline style the CSP refuses
          <img src={side} alt="" aria-hidden="true" className="foyer-side-image hidden lg:block w-full h-full max-h-[80vh] object-cover rounded-theme" />
        ) : null}
        <main id="main" className={`foyer-card ${layout.card}`}>
          <div className="foyer-header mb-6">
            <h1 className="foyer-title text-2xl font-semibold mb-1">{heading}</h1>
            {subheading ? <p className="textDescription-customizable text-muted">{subheading}</p> : null}
          </div>
          {children}
        </main>
      </div>
      {footer}
    </div>
  );
}
