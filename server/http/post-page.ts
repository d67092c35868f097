import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createTranslator } from 'next-intl';
import { direction } from '../../i18n/locales';
import { STANDALONE_CLASS } from '../../themes/css';
import type { PageBrand } from '../../themes/page-brand';
import { catalogues, catalogueLocale } from '../mail/templates';

/** A form post the browser makes to another party (a SAML HTTP-POST binding, a sign-out). */
export interface OutboundPost {
  url: string;
  fields: Record<string, string>;
}

const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Answers with a page that posts `post` on (a SAML HTTP-POST binding, a sign-out): by script
 * at once, or with the visible Continue button when scripts are off. The page is ours, not a
 * Next.js page, because it carries the message itself (or is answered by oidc-provider). It wears
 * the theme of the app concerned (`brand`): the theme's stylesheet, logo and the app's name, with
 * the documented hooks. Its CSP allows its one script by a nonce and our own stylesheets only.
 */
export function sendPostPage(res: ServerResponse, post: OutboundPost, o: PostPageOptions): void {
  const page = renderPostPage(post, o);
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-security-policy', page.csp);
  res.end(page.html);
}

/** `signOutHere`: Foyer's own sign-out, when no session is left to confirm it on our logout page. */
export type PostPageOptions = { locale: string; purpose: 'signIn' | 'signOut' | 'signOutHere'; brand: PageBrand };

/** The logo as the Next.js screens show it (components/Logo.tsx): the dark one where the theme or the browser is dark. */
function logoHtml(logo: NonNullable<PageBrand['logo']>): string {
  const img = (src: string) => `<img src="${escape(src)}" alt="${escape(logo.alt)}" height="${logo.height}" class="logo-customizable">`;
  if (logo.mode === 'dark') return img(logo.dark);
  if (logo.mode === 'auto' && logo.dark !== logo.light) return `<picture><source srcset="${escape(logo.dark)}" media="(prefers-color-scheme: dark)">${img(logo.light)}</picture>`;
  return img(logo.light);
}

/** The page and the CSP it needs (its one script, by nonce). */
export function renderPostPage(post: OutboundPost, o: PostPageOptions): { html: string; csp: string } {
  const lang = catalogueLocale(o.locale);
  const t = createTranslator({ locale: lang, messages: catalogues[lang], namespace: 'federation.post' });
  const nonce = randomBytes(16).toString('base64');
  const inputs = Object.entries(post.fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  const title = escape(t(o.purpose));
  const { brand } = o;
  const banner = brand.logo || brand.appName ? `<header class="banner-customizable">${brand.logo ? logoHtml(brand.logo) : ''}${brand.appName ? `<p class="foyer-app-name">${escape(brand.appName)}</p>` : ''}</header>` : '';
  const html =
    `<!DOCTYPE html><html lang="${lang}" dir="${direction(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>` +
    `<link rel="stylesheet" href="${escape(brand.stylesheet)}">${brand.favicon ? `<link rel="icon" href="${escape(brand.favicon)}">` : ''}</head>` +
    `<body class="foyer-root foyer-layout-${brand.layout} ${STANDALONE_CLASS} background-customizable">${banner}` +
    `<main id="main" class="foyer-card"><div class="foyer-header"><h1 class="foyer-title">${title}</h1><p class="textDescription-customizable">${escape(t('explain'))}</p></div>` +
    `<form method="post" action="${escape(post.url)}" class="foyer-form" data-testid="federation-post">${inputs}<button type="submit" class="submitButton-customizable">${escape(t('continue'))}</button></form></main>` +
    `<script nonce="${nonce}">document.forms[0].submit();</script></body></html>`;
  // Styles and images from our own origin only (the theme's stylesheet and assets; a data: logo).
  return { html, csp: `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; base-uri 'none'` };
}
