import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, errors, jwtVerify, type JWK } from 'jose';
import type { Actor } from '../pool';
import { Problem } from './problem';

/** Foyer's own resource server and its scopes (issue 12): everything, or reading only. */
export const ADMIN_AUDIENCE = 'foyer';
export const scopes = {
  'foyer/admin': 'Read and change everything the admin API manages',
  'foyer/admin.read': 'Read only (GET)',
} as const;
export type AdminScope = keyof typeof scopes;

/** Who calls, and what they may do. */
export interface Principal {
  actor: Actor;
  /** Whether they may write, or only read. */
  canWrite: boolean;
}

/**
 * One way to prove who calls. Answers undefined when the request does not use it (no such
 * header, no such cookie), so the next one is tried; a Problem (401) when it does but fails.
 * Bearer tokens now; the console's session (issue 12 point 3) is another of these, answering a
 * `{ type: 'user', id: sub }` actor. A cookie travels with cross-site requests where a bearer
 * token never does, and /admin/api skips the pages' Origin screening (server/main.ts): that
 * authenticator must refuse a write whose Origin is not the issuer's.
 */
export type Authenticator = (req: IncomingMessage) => Promise<Principal | undefined>;

const challenge = (extra = '') => ({ 'www-authenticate': `Bearer realm="foyer-admin"${extra}` });

export const unauthenticated = () =>
  new Problem(401, 'unauthenticated', 'Authentication required', 'send Authorization: Bearer <access token> (client credentials with the foyer/admin scope)', { headers: challenge() });

const invalidToken = (detail: string) =>
  new Problem(401, 'invalid-token', 'The access token is not valid', detail, { headers: challenge(`, error="invalid_token", error_description="${detail}"`) });

/**
 * Refused credentials allowed from one client address in a window, past which the API answers 429
 * (Retry-After) until the window ends. A valid token is never counted nor slowed; a request with
 * no credentials guesses nothing and is not counted either.
 */
export const failedAuthenticationLimit = { max: 20, windowMs: 5 * 60_000 };

export const tooManyFailures = (retryAfter: number) =>
  new Problem(429, 'too-many-failed-authentications', 'Too many failed authentications', `too many refused tokens from this address: retry in ${retryAfter} s`, {
    headers: { 'retry-after': String(retryAfter) },
  });

export const insufficientScope = () =>
  new Problem(403, 'insufficient-scope', 'The token does not allow this', 'writing needs the foyer/admin scope (foyer/admin.read only reads)', {
    headers: challenge(', error="insufficient_scope", scope="foyer/admin"'),
  });

/** Only what verifying needs: never the private part of a key. */
const publicPart = ({ kty, n, e, kid, alg, use }: JWK): JWK => ({ kty, n, e, kid, alg, use });

/**
 * `Authorization: Bearer <JWT>`: an access token of the client_credentials grant, RS256-signed by
 * a key the pool publishes (`keys`: the current ones, they change with a rotation), for the
 * audience `foyer`, with `foyer/admin` or `foyer/admin.read` in `scope`. Verified locally: no
 * network, no introspection.
 */
export function bearerAuthenticator(opts: { issuer: string; keys: () => JWK[]; now?: () => number }): Authenticator {
  let cached: { keys: JWK[]; jwks: ReturnType<typeof createLocalJWKSet> } | undefined;
  const jwks = () => {
    const keys = opts.keys();
    if (cached?.keys !== keys) cached = { keys, jwks: createLocalJWKSet({ keys: keys.map(publicPart) }) };
    return cached.jwks;
  };
  return async (req) => {
    const header = req.headers.authorization;
    if (header === undefined) return undefined;
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (!match) throw invalidToken('the Authorization header is not Bearer <token>');
    let payload;
    try {
      ({ payload } = await jwtVerify(match[1], jwks(), {
        issuer: opts.issuer,
        audience: ADMIN_AUDIENCE,
        algorithms: ['RS256'],
        requiredClaims: ['exp', 'client_id', 'scope'],
        ...(opts.now ? { currentDate: new Date(opts.now()) } : {}),
      }));
    } catch (e) {
      throw invalidToken(e instanceof errors.JWTExpired ? 'the token has expired' : e instanceof errors.JOSEError ? 'the token is not one this pool issued for the admin API' : 'the token cannot be read');
    }
    const { client_id: clientId, scope } = payload;
    if (typeof clientId !== 'string' || typeof scope !== 'string') throw invalidToken('the token has no client_id or scope');
    const granted = new Set(scope.split(' '));
    if (!granted.has('foyer/admin') && !granted.has('foyer/admin.read')) throw insufficientScope();
    return { actor: { type: 'client', id: clientId }, canWrite: granted.has('foyer/admin') };
  };
}
