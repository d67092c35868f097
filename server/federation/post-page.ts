import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { createTranslator } from 'next-intl';
import { direction, type Locale } from '../../i18n/locales';
import { catalogues, catalogueLocale } from '../mail/templates';
import type { OutboundPost } from './protocols';

const escape = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Answers with a page that posts `post` to a provider (the SAML HTTP-POST binding): by script
 * at once, or with the visible Continue button when scripts are off. The page is ours, not a
 * Next.js page, because it carries the message itself; its CSP allows only its one script, by a
 * nonce, and no styles.
 */
export function sendPostPage(res: ServerResponse, post: OutboundPost, o: { locale: Locale; purpose: 'signIn' | 'signOut' }): void {
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
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-security-policy', `default-src 'none'; script-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'`);
  res.end(html);
}
