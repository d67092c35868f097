import { OutgoingMessage, type IncomingMessage, type ServerResponse } from 'node:http';
import { isLocale } from '../../i18n/locales';
import { cookieName, type CookieKind } from './cookies';

/**
 * Embedding a client's sign-in in another site's iframe (its `frame_ancestors`). Every answer is
 * built with `frame-ancestors 'none'` and `X-Frame-Options: DENY` (proxy.ts, headers.ts); for the
 * requests of such a client's sign-in this widens the first to the client's origins and drops
 * the second, just before the head is written, whoever answers (oidc-provider or Next.js).
 */

/** What a request is about, when it is a step of a sign-in: the interaction, or the client it starts for. */
export type FramingTarget = { uid: string } | { clientId: string };

const UID = /^[A-Za-z0-9_-]{1,64}$/;

export function framingTarget(pathname: string, query: URLSearchParams): FramingTarget | undefined {
  // A sign-out from the frame (the SDK's), so the session cookie's deletion reaches its partition.
  if (pathname === '/oauth2/authorize' || pathname === '/logout') {
    const clientId = query.get('client_id');
    return clientId ? { clientId } : undefined;
  }
  const resume = /^\/oauth2\/authorize\/([^/]+)$/.exec(pathname);
  if (resume) return UID.test(resume[1]) ? { uid: resume[1] } : undefined;
  const uid = query.get('uid');
  return isLocale(pathname.split('/')[1]) && uid && UID.test(uid) ? { uid } : undefined;
}

/** The cookies a sign-in inside a frame cannot do without. */
const FRAMED_COOKIES: CookieKind[] = ['interaction', 'resume', 'session', 'csrf', 'locale'];

/**
 * Whether the browser is loading this into a frame. Only then do the cookies become third-party
 * ones (`SameSite=None`), and `Partitioned` (CHIPS): they live under the embedding site alone,
 * so the same browser's top-level sign-in keeps its Lax cookies and is never weakened.
 */
export const isFramedRequest = (req: IncomingMessage): boolean => req.headers['sec-fetch-dest'] === 'iframe';

/**
 * A script's request (a server action with JavaScript on) says nothing of whether its page is
 * framed: a cookie it deletes is deleted in both jars (a partitioned twin is a no-op at top level),
 * so that, e.g., the CSRF token's renewal after signing in happens inside the frame too.
 */
export const isScriptRequest = (req: IncomingMessage): boolean => req.headers['sec-fetch-dest'] === 'empty';

const isDeletion = (setCookie: string) => /;\s*max-age=0(;|$)/i.test(setCookie) || /;\s*expires=thu, 01 jan 1970/i.test(setCookie);

export function withFrameAncestors(csp: string, origins: string[]): string {
  return csp.replace(/frame-ancestors 'none'/, `frame-ancestors ${origins.join(' ')}`);
}

/** `SameSite=None; Partitioned` for a cookie the framed sign-in needs (already `Secure`: https only). */
export function framedCookie(setCookie: string, secure: boolean): string {
  const name = setCookie.slice(0, setCookie.indexOf('=')).trim();
  const ours = FRAMED_COOKIES.map((k) => cookieName(k, secure));
  // oidc-provider signs its cookies with a companion `<name>.sig`.
  if (!ours.some((n) => name === n || name === `${n}.sig`)) return setCookie;
  const parts = setCookie.split(';').map((p) => p.trim()).filter((p) => !/^samesite=/i.test(p) && !/^partitioned$/i.test(p));
  return [...parts, 'SameSite=None', 'Partitioned'].join('; ');
}

/**
 * Lets `origins` frame this answer. `framed`: the request comes from a frame, so the cookies set
 * on the way become partitioned third-party ones (only over https, which `SameSite=None` needs).
 */
export function allowFraming(res: ServerResponse, origins: string[], o: { framed: boolean; script: boolean; secure: boolean }): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const csp = res.getHeader('content-security-policy');
    if (typeof csp === 'string') res.setHeader('content-security-policy', withFrameAncestors(csp, origins));
    res.removeHeader('x-frame-options');
    const cookies = res.getHeader('set-cookie');
    if ((o.framed || o.script) && o.secure && cookies !== undefined) {
      const list = Array.isArray(cookies) ? cookies : [String(cookies)];
      const rewritten = list.flatMap((c) => {
        if (o.framed) return [framedCookie(c, o.secure)];
        const twin = framedCookie(c, o.secure);
        return isDeletion(c) && twin !== c ? [c, twin] : [c];
      });
      // Node's own setHeader: Next.js wraps the response's to add its proxy's cookies back in.
      OutgoingMessage.prototype.setHeader.call(res, 'set-cookie', rewritten);
    }
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
}
