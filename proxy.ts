import createMiddleware from 'next-intl/middleware';
import { NextRequest, NextResponse } from 'next/server';
import { isLocale, matchLocale } from './i18n/locales';
import { LOCALE_COOKIE_MAX_AGE, routingFor } from './i18n/routing';
import { isCsrfToken, newCsrfToken } from './app/_lib/csrf-token';
import { cookieName, cookieOptions, isSecureIssuer } from './server/http/cookies';
import { STATUS_HEADER } from './server/http/status-signal';

const i18nHandlers = new Map<boolean, ReturnType<typeof createMiddleware>>();
const handleI18n = (secure: boolean) => {
  let h = i18nHandlers.get(secure);
  if (!h) i18nHandlers.set(secure, (h = createMiddleware(routingFor(secure))));
  return h;
};

/** The shape server/http/query.ts accepts for `client_id`. */
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;
/** A day: the account pages' session is shorter-lived than that in practice. */
const ACCOUNT_APP_MAX_AGE = 24 * 60 * 60;

/**
 * Every page: locale routing, a CSP nonce and the CSRF cookie. Query parameters were already
 * checked by server/main.ts (a bad one gets the error page with a 400 before Next.js runs).
 */
export default function proxy(request: NextRequest) {
  const url = request.nextUrl;
  // Whether cookies are Secure follows the issuer's configuration, never a client's header.
  const secure = isSecureIssuer(process.env.PUBLIC_URL ?? '');
  const segments = url.pathname.split('/');
  const pathLocale = isLocale(segments[1]) ? segments[1] : undefined;

  // A console form posted by someone the console refuses: the action answers its refusal, then
  // the page's guard redirects here with a 307, which a browser follows as a POST, and Next.js
  // would answer a bare "Server Action unavailable". These pages have no form: GET them.
  const turnedAway = turnedAwayStatus(segments, pathLocale);
  if (turnedAway && request.method !== 'GET' && request.method !== 'HEAD') return NextResponse.redirect(url, 303);

  // `?ui_locales=ar en` (the first supported) or Cognito's `?lang=ar` switches the page's language.
  const wanted = matchLocale(url.searchParams.get('ui_locales')) ?? matchLocale(url.searchParams.get('lang'));
  if (wanted && wanted !== pathLocale) {
    const target = url.clone();
    target.pathname = `/${wanted}${pathLocale ? url.pathname.slice(pathLocale.length + 1) : url.pathname}`;
    target.searchParams.delete('lang');
    target.searchParams.delete('ui_locales');
    const res = NextResponse.redirect(target, 303);
    res.cookies.set(cookieName('locale', secure), wanted, { ...cookieOptions('locale', secure), maxAge: LOCALE_COOKIE_MAX_AGE });
    return res;
  }

  // The theme editor's preview screens: framed by the console (same origin), never indexed.
  const preview = pathLocale !== undefined && segments[2] === 'preview';
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  // A previewed e-mail's HTML part (app/[locale]/preview/[screen]/mail): mail HTML styles inline
  // only, so inline styles apply there and nothing else does (no script, no form, sandboxed).
  const mailPart = preview && segments[4] === 'mail' && segments.length === 5;
  const csp = mailPart
    ? "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox"
    : [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
        `style-src 'self' 'nonce-${nonce}'`,
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        preview ? "frame-ancestors 'self'" : "frame-ancestors 'none'",
      ].join('; ');

  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const csrfCookie = cookieName('csrf', secure);
  const sent = request.cookies.get(csrfCookie)?.value;
  // A token of another shape was not minted here (tampered, or decoded to bytes no header may
  // carry): it counts as none, and a new one replaces it.
  let csrf = sent !== undefined && isCsrfToken(sent) ? sent : undefined;
  const mintCsrf = !csrf;
  if (!csrf) {
    csrf = newCsrfToken();
    const others = (request.headers.get('cookie') ?? '').split(';').filter((pair) => pair.trim() !== '' && pair.split('=')[0].trim() !== csrfCookie);
    headers.set('cookie', [...others.map((pair) => pair.trim()), `${csrfCookie}=${csrf}`].join('; '));
  }
  headers.set('x-foyer-csrf', csrf);
  // Which screen this is, for the theme (app/_lib/theme.ts); never a client's own header.
  headers.set('x-foyer-path', url.pathname);
  const uid = url.searchParams.get('uid');
  if (uid) headers.set('x-foyer-uid', uid);
  else headers.delete('x-foyer-uid');
  // The theme a preview screen shows and how (app/_lib/preview.ts); only ever on those screens.
  const previewHeaders = { 'x-foyer-preview': 'preview', 'x-foyer-preview-scheme': 'scheme', 'x-foyer-preview-state': 'state' };
  for (const [header, param] of Object.entries(previewHeaders)) {
    const value = preview ? url.searchParams.get(param) : null;
    if (value) headers.set(header, value);
    else headers.delete(header);
  }
  // The app a page is about (the error, sign-out and account pages take its theme).
  const clientId = url.searchParams.get('client_id');
  const themedClient = clientId && CLIENT_ID.test(clientId) ? clientId : undefined;
  if (themedClient) headers.set('x-foyer-client', themedClient);
  else headers.delete('x-foyer-client');

  // A path without a locale: next-intl redirects by the cookie, else Accept-Language, which it
  // reads as our regional fallbacks say (pt-AO reads pt-PT, es-MX es-419, zh-HK zh-Hant).
  if (!pathLocale) {
    const negotiated = matchLocale(request.headers.get('accept-language'));
    if (negotiated) headers.set('accept-language', negotiated);
    else headers.delete('accept-language');
  }
  // Malformed query parameters never get here: server/main.ts refuses them before Next.js.
  const response = handleI18n(secure)(new NextRequest(request.url, { headers, method: request.method }));
  // Forward the nonce and token to the page, as NextResponse.next({ request: { headers } }) would.
  const forward = NextResponse.next({ request: { headers } });
  forward.headers.forEach((v, k) => {
    if (k.startsWith('x-middleware-request-') || k === 'x-middleware-override-headers') response.headers.set(k, v);
  });
  response.headers.set('content-security-policy', csp);
  response.headers.set('x-content-type-options', 'nosniff');
  // same-origin: forms still send a real Origin (no-referrer would make it "null"), URLs never leak out.
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('x-frame-options', preview ? 'SAMEORIGIN' : 'DENY');
  if (preview) response.headers.set('x-robots-tag', 'noindex, nofollow');
  if (secure) response.headers.set('strict-transport-security', 'max-age=63072000');
  // The account pages keep the theme of the app that linked to them, page after page and
  // through their sign-in, without carrying `client_id` on every link and redirect.
  if (themedClient && pathLocale && segments[2] === 'account') {
    response.cookies.set(cookieName('accountApp', secure), themedClient, { ...cookieOptions('accountApp', secure), maxAge: ACCOUNT_APP_MAX_AGE });
  }
  if (mintCsrf) {
    response.cookies.set(csrfCookie, csrf, cookieOptions('csrf', secure));
  }
  // The admin console's refusal page is a refusal (403), its session-ended page asks to sign in
  // again (401); server/http/status-signal.ts applies the status.
  if (turnedAway) response.headers.set(STATUS_HEADER, String(turnedAway));
  return response;
}

/** The console's pages for a browser it turns away, and their status: `/<locale>/admin/refused`, `/<locale>/admin/session-ended`. */
const TURNED_AWAY: Record<string, number> = { refused: 403, 'session-ended': 401 };
const turnedAwayStatus = (segments: string[], pathLocale: string | undefined): number | undefined =>
  pathLocale !== undefined && segments[2] === 'admin' && segments.length === 4 && Object.hasOwn(TURNED_AWAY, segments[3]) ? TURNED_AWAY[segments[3]] : undefined;

export const config = {
  // Paths with a dot are taken as files and skipped, except the console's: its path segments are
  // ids (a resource server's https://api.example.com, a username like ann.lee), and its pages need
  // the proxy's CSP nonce and CSRF token like every other page.
  matcher: ['/((?!api|_next|oauth2|saml2|\\.well-known|.*\\..*).*)', '/:locale/admin/:path*'],
};
