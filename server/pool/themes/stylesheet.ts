import { createHash } from 'node:crypto';
import { themeCss } from '../../../themes/css';
import type { ResolvedTheme } from '../../../themes/schema';
import { sanitiseCustomCss, type CssAssets } from './custom-css';

/**
 * A resolved theme as one stylesheet: palette variables (light, dark, or both by the browser's
 * preference as `mode` says), font and radius, an uploaded font's @font-face, and the custom CSS
 * scoped under the login root. Served under its hash, so it can be cached forever.
 */
export function themeStylesheet(theme: ResolvedTheme, assets: CssAssets): { css: string; hash: string } {
  // themeCss writes the palettes for the theme's `mode`, its font (an uploaded one's @font-face
  // too), radius, density and background.
  const css = [themeCss(theme), sanitiseCustomCss(theme.css, assets)].filter(Boolean).join('\n');
  return { css, hash: createHash('sha256').update(css).digest('hex').slice(0, 32) };
}
