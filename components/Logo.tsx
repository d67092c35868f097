import type { ResolvedTheme } from '@/themes/schema';
import { assetUrl } from '@/themes/assets';

/** The theme's logo: its dark variant where the theme or the browser is dark. */
export function Logo({ theme }: { theme: ResolvedTheme }) {
  const logo = theme.logo;
  const light = logo && assetUrl(logo.light);
  if (!logo || !light) return null;
  const dark = (logo.dark && assetUrl(logo.dark)) ?? light;
  const img = (
    // eslint-disable-next-line @next/next/no-img-element -- a theme asset; next/image would add an inline style the CSP refuses
    <img src={theme.mode === 'dark' ? dark : light} alt={logo.alt} height={logo.height} className="logo-customizable" />
  );
  return theme.mode === 'auto' && dark !== light ? (
    <picture>
      <source srcSet={dark} media="(prefers-color-scheme: dark)" />
      {img}
    </picture>
  ) : (
    img
  );
}
