import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createTranslator } from 'next-intl';
import { direction } from '../../i18n/locales';
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
 * Next.js page, because it carries the message itself (or is answered by oidc-provider); its CSP allows only its one script, by a
 * nonce, and no styles.
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
export type PostPageOptions = { locale: string; purpose: 'signIn' | 'signOut' | 'signOutHere' };

/** The page and the CSP it needs (its one script, by nonce). */
export function renderPostPage(post: OutboundPost, o: PostPageOptions): { html: string; csp: string } {
  const lang = catalogueLocale(o.locale);
  const t = createTranslator({ locale: lang, messages: catalogues[lang], namespace: 'federation.post' });
  const nonce = randomBytes(16).toString('base64');
  const inputs = Object.entries(post.fields)
    .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`)
    .join('');
  const title = escape(t(o.purpose));
  const html =
    `<!DOCTYPE html><html lang="${lang}" dir="${direction(lang)}"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>` +
    `<body><main><h1>${title}</h1><p>${escape(t('explain'))}</p>` +
    `<form method="post" action="${escape(post.url)}" data-testid="federation-post">${inputs}<button type="submit">${escape(t('continue'))}</button></form></main>` +
    `<script nonce="${nonce}">document.forms[0].submit();</script></body></html>`;
  return { html, csp: `default-src 'none'; script-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'` };
}
