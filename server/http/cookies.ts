/**
 * Every cookie Foyer sets in a browser, named in one place. Pure (no node:, no Next.js) so that
 * proxy.ts, the pages, oidc-provider's configuration and the raw federation handlers share it.
 *
 * When PUBLIC_URL is https every cookie is `Secure` and prefixed: `__Host-` when its path is `/`
 * (browsers then also refuse a `Domain`, so no sibling subdomain can plant or overwrite it), and
 * `__Secure-` otherwise, because browsers drop a `__Host-` cookie whose path is not `/`. Over
 * plain http (development) the bare names are used. Whether a cookie is Secure follows the
 * issuer's configuration, never a request header.
 */

type SameSite = 'lax' | 'strict';
type CookieSpec = { name: string; path: string; sameSite: SameSite; httpOnly: boolean };

const spec = (name: string, path: string, sameSite: SameSite, httpOnly = true): CookieSpec => ({ name, path, sameSite, httpOnly });

export const COOKIES = {
  // oidc-provider's. Lax: the session must come along when an app sends the browser to
  // /oauth2/authorize or /logout (a top-level GET from the app's site), or no single sign-on.
  session: spec('foyer.session', '/', 'lax'),
  // Lax: read by /oauth2/idpresponse, reached by an upstream provider's redirect (cross-site GET).
  interaction: spec('foyer.interaction', '/', 'lax'),
  // oidc-provider scopes it to /oauth2/authorize/<uid> (hence `__Secure-`). Lax: after an upstream
  // provider the redirect to it ends a navigation that began on another site.
  resume: spec('foyer.resume', '/oauth2/authorize/', 'lax'),
  // Double-submit CSRF token. Lax: keeps one token when the browser arrives from an app's redirect
  // (Strict would mint a new one on every arrival, breaking forms open in other tabs).
  csrf: spec('foyer.csrf', '/', 'lax'),
  // The chosen language (next-intl's name; JavaScript may read it). Lax: applies on arrival from an app.
  locale: spec('NEXT_LOCALE', '/', 'lax', false),
  // Remembered device: skips the second factor. Strict: only our own forms' posts read it, and a
  // request started on another site never carries it.
  device: spec('foyer.device', '/', 'strict'),
  // The sign-in method last used in this browser, preselected on the sign-in screen. Lax: read
  // when the browser arrives from an app's redirect.
  lastMethod: spec('foyer.method', '/', 'lax'),
  // The account pages' session. Lax: an app's "manage your account" link is a cross-site navigation.
  account: spec('foyer.account', '/', 'lax'),
  // The app that sent the browser to the account pages (`?client_id=`), whose theme they keep
  // (app/_lib/theme.ts). Lax: that link is a cross-site navigation. Not secret: a theme is public.
  accountApp: spec('foyer.account-app', '/', 'lax'),
  // The account pages' sign-in in progress. Lax: must come back with the redirect to the callback,
  // which follows an upstream provider's cross-site redirect when the user signs in through one.
  accountTx: spec('foyer-account.tx', '/api/account', 'lax'),
  // The admin console's session and its sign-in in progress (issue 12). Lax, as the account
  // pages': a sign-in through an upstream provider ends with a redirect that began on its site.
  // Writes through the admin API with this cookie are held to the issuer's Origin (server/admin).
  console: spec('foyer.console', '/', 'lax'),
  consoleTx: spec('foyer-console.tx', '/api/console', 'lax'),
  // The demo app's sign-in in progress and its session: Lax, as the account pages'.
  demoTx: spec('foyer-demo.tx', '/api/demo', 'lax'),
  demoSession: spec('foyer-demo.session', '/', 'lax'),
  // Binds a provider's answer to the browser sent there. Lax: the answer comes back by a top-level
  // GET from the provider's site (answers POSTed cross-site are stashed and re-read by GET).
  federation: spec('foyer.fed', '/', 'lax'),
  // An IdP-initiated SAML identity waiting for its app's sign-in. Lax: the app's authorization
  // request arrives from the app's site.
  parked: spec('foyer.fedpark', '/', 'lax'),
} satisfies Record<string, CookieSpec>;

export type CookieKind = keyof typeof COOKIES;

export const isSecureIssuer = (publicUrl: string): boolean => /^https:\/\//i.test(publicUrl);

export function cookieName(kind: CookieKind, secure: boolean): string {
  const c = COOKIES[kind];
  if (!secure) return c.name;
  return `${c.path === '/' ? '__Host-' : '__Secure-'}${c.name}`;
}

export type CookieOptions = { path: string; secure: boolean; httpOnly: boolean; sameSite: SameSite };

/** Attributes for Next's `cookies().set`, NextResponse's and Koa's (oidc-provider). */
export function cookieOptions(kind: CookieKind, secure: boolean): CookieOptions {
  const { path, sameSite, httpOnly } = COOKIES[kind];
  return { path, secure, httpOnly, sameSite };
}

/**
 * One `Set-Cookie` value for raw Node handlers. A `Max-Age` of 0 deletes the cookie; it keeps
 * `Secure` and the path, without which browsers ignore a prefixed cookie's deletion.
 */
export function setCookie(kind: CookieKind, secure: boolean, value: string, maxAgeSeconds: number): string {
  const o = cookieOptions(kind, secure);
  const attrs = [`Path=${o.path}`, `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`, o.httpOnly && 'HttpOnly', `SameSite=${o.sameSite === 'lax' ? 'Lax' : 'Strict'}`, o.secure && 'Secure'];
  return [`${cookieName(kind, secure)}=${encodeURIComponent(value)}`, ...attrs.filter(Boolean)].join('; ');
}

/** The value of one cookie in a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined; // malformed %-escapes: as if absent
      }
    }
  }
  return undefined;
}
