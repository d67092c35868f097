import { cookieName, isSecureIssuer, readCookie } from '../http/cookies';
import type { Pool } from '../pool';
import type { Authenticator } from './auth';
import { Problem } from './problem';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The admin console's session cookie as a way into the admin API (issue 12): the console's user,
 * a member of the admin group who signed in with a second factor, acts as `{ type: 'user', id }`.
 * A cookie rides along with requests other sites start, so a write must come from the issuer's
 * own origin (Origin, else Sec-Fetch-Site); a read cannot be seen cross-origin without CORS.
 */
export function consoleAuthenticator(opts: { issuer: string; pool: Pick<Pool, 'console'> }): Authenticator {
  const name = cookieName('console', isSecureIssuer(opts.issuer));
  const origin = new URL(opts.issuer).origin;
  return async (req) => {
    const token = readCookie(req.headers.cookie, name);
    if (token === undefined) return undefined;
    const method = (req.method ?? 'GET').toUpperCase();
    if (!SAFE.has(method)) {
      const from = req.headers.origin;
      const sameOrigin = typeof from === 'string' ? from === origin : req.headers['sec-fetch-site'] === 'same-origin';
      if (!sameOrigin) throw new Problem(403, 'cross-origin', 'Cross-origin write refused', 'a write with the console session must come from the console itself');
    }
    const found = await opts.pool.console.sessions.find({ token });
    if (!found) throw new Problem(401, 'unauthenticated', 'Authentication required', 'the console session has ended: sign in again', { headers: { 'www-authenticate': 'Bearer realm="foyer-admin"' } });
    if (found.refusal) throw new Problem(403, 'forbidden', 'Not an administrator', found.refusal === 'no_mfa' ? 'the console needs a sign-in with a second factor' : 'only members of the admin group may use the admin API');
    return { actor: { type: 'user', id: found.session.userId }, canWrite: true };
  };
}
