import { assetUrl } from './assets';
import type { ResolvedTheme } from './schema';

/**
 * What a page Foyer renders outside Next.js (a SAML HTTP-POST, a sign-out post) needs of a theme:
 * its stylesheet, its logo and the app's name. Built by the caller, who knows the client, so
 * server/http renders it without reading the pool.
 */
export interface PageBrand {
  /** The theme's content-hashed stylesheet (`/themes/<hash>.css`). */
  stylesheet: string;
  layout: ResolvedTheme['layout'];
  logo: { light: string; dark: string; alt: string; height: number; mode: ResolvedTheme['mode'] } | null;
  favicon: string | null;
  /** The app concerned, when there is one a person should recognise. */
  appName?: string;
}

export function pageBrand(applied: { theme: ResolvedTheme; stylesheet: string }, appName?: string): PageBrand {
  const { theme } = applied;
  const light = theme.logo && assetUrl(theme.logo.light);
  return {
    stylesheet: applied.stylesheet,
    layout: theme.layout,
    logo: theme.logo && light ? { light, dark: (theme.logo.dark && assetUrl(theme.logo.dark)) ?? light, alt: theme.logo.alt, height: theme.logo.height, mode: theme.mode } : null,
    favicon: theme.favicon ? assetUrl(theme.favicon) : null,
    ...(appName ? { appName } : {}),
  };
}
