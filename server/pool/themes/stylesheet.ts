import { createHash } from 'node:crypto';
import { themeCss } from '../../../themes/css';
import type { ResolvedTheme } from '../../../themes/schema';
import { sanitiseCustomCss, type CssAssets } from './custom-css';
import { STORED_ASSET } from './prepare';

/**
 * A resolved theme as one stylesheet: palette variables (light, dark, or both by the browser's
 * preference as `mode` says), font and radius, an uploaded font's @font-face, and the custom CSS
 * scoped under the login root. Served under its hash, so it can be cached forever.
 */
export function themeStylesheet(theme: ResolvedTheme, assets: CssAssets): { css: string; hash: string } {
  const fixed = theme.mode === 'auto' ? theme : { ...theme, colors: { light: theme.colors[theme.mode], dark: theme.colors[theme.mode] } };
  const parts = [themeCss(fixed)];
  if (theme.mode !== 'auto') parts.push(`:root{color-scheme:${theme.mode};}`);
  if ('upload' in theme.font) {
    const sha = STORED_ASSET.exec(theme.font.upload)?.[1];
    const url = sha && assets.url(sha);
    // The name is validated ([A-Za-z0-9 _-]) and the URL is our own hashed path.
    if (url) parts.push(`@font-face{font-family:'${theme.font.name}';src:url(${url}) format('woff2');font-display:swap;}`);
  }
  parts.push(sanitiseCustomCss(theme.css, assets));
  const css = parts.filter(Boolean).join('\n');
  return { css, hash: createHash('sha256').update(css).digest('hex').slice(0, 32) };
}
