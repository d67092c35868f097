import type { IncomingMessage } from 'node:http';
import { cookiePrefix } from '../oidc/provider';

/**
 * Federation's cookies: `browser` binds a provider's answer to the browser that was sent there;
 * `parked` holds the handle of an identity an IdP-initiated SAML sign-in verified, until the
 * app it is for has started its own authorization request (see server/federation/saml/http.ts).
 */
export function federationCookies(publicUrl: string) {
  const prefix = cookiePrefix(publicUrl);
  return { browser: `${prefix}foyer.fed`, parked: `${prefix}foyer.fedpark`, interaction: `${prefix}foyer.interaction` };
}

/** One cookie of a request, or undefined. */
export function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
