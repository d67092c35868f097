import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK, JWTPayload } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { readBody } from '../http/screen';
import type { AppClient, Pool } from '../pool';
import { clientSecretMatches } from '../pool/client-secrets';
import { accessTokenVerifier } from './access-token';

/**
 * Token introspection (RFC 7662) at /oauth2/introspect, for resource servers. Ours rather than
 * oidc-provider's, whose endpoint refuses structured (JWT) access tokens, and ours all are.
 *
 * Who may introspect what: a confidential client, authenticated as at the token endpoint (its
 * registered method, its secret), may introspect the access tokens issued to it, and those for a
 * resource server that lists it in `introspection_clients` (the API's own backend). Anything
 * else (a token it may not see, one that is not ours, expired, revoked) is `{"active": false}`,
 * with no hint which. Revoked: a user's token whose grant is gone (signed out, refresh token
 * rotated away, user disabled); a client_credentials token whose client is gone or no longer
 * has the grant. Refresh tokens are not introspected (they are for their client, not for APIs).
 */
const BODY_LIMIT = 16 * 1024;

type Answer = { status: number; body: Record<string, unknown>; challenge?: boolean };

const invalidClient: Answer = { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' }, challenge: true };
const inactive: Answer = { status: 200, body: { active: false } };

function formOf(raw: Buffer): URLSearchParams | undefined {
  const params = new URLSearchParams(raw.toString('utf8'));
  // RFC 6749 §3.2: a parameter may not be repeated.
  for (const key of new Set(params.keys())) if (params.getAll(key).length > 1) return undefined;
  return params;
}

/** client_secret_basic (RFC 6749 §2.3.1: both parts form-urlencoded) or client_secret_post, not both. */
function credentialsOf(req: IncomingMessage, form: URLSearchParams): { id: string; secret: string; method: AppClient['token_endpoint_auth_method'] } | 'none' | 'bad' {
  const header = req.headers.authorization;
  const posted = form.has('client_id') || form.has('client_secret');
  if (header !== undefined) {
    if (posted) return 'bad';
    const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header);
    if (!match) return 'bad';
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 1) return 'bad';
    try {
      const unform = (v: string) => decodeURIComponent(v.replace(/\+/g, ' '));
      return { id: unform(decoded.slice(0, colon)), secret: unform(decoded.slice(colon + 1)), method: 'client_secret_basic' };
    } catch {
      return 'bad';
    }
  }
  const id = form.get('client_id');
  const secret = form.get('client_secret');
  if (id && secret) return { id, secret, method: 'client_secret_post' };
  return 'none';
}

const audiences = (aud: JWTPayload['aud']): string[] => (Array.isArray(aud) ? aud : typeof aud === 'string' ? [aud] : []);

export function introspectionHandler(opts: { issuer: string; keys: () => JWK[]; pool: Pool; db: Kysely<Database> }) {
  const verify = accessTokenVerifier(opts);

  /** Whether the token is still good: its grant (a user's) or its client's right (a machine's). */
  async function live(payload: JWTPayload): Promise<boolean> {
    const client = typeof payload.client_id === 'string' ? await opts.pool.clients.find({ clientId: payload.client_id }) : undefined;
    if (!client) return false;
    if (payload.sub === undefined) return client.grant_types.includes('client_credentials');
    const grantId = payload.origin_jti;
    if (typeof grantId !== 'string') return false;
    const now = Date.now();
    const grant = await opts.db
      .selectFrom('oidc_artifacts')
      .select('id')
      .where('model', '=', 'Grant')
      .where('id', '=', grantId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .executeTakeFirst();
    return !!grant && !!(await opts.pool.users.claims({ id: String(payload.sub) }));
  }

  /** The caller's own tokens, and those for a resource server that lets it introspect. */
  async function mayIntrospect(callerId: string, payload: JWTPayload): Promise<boolean> {
    if (payload.client_id === callerId) return true;
    for (const aud of audiences(payload.aud)) {
      if (aud === opts.issuer) continue;
      const server = await opts.pool.resourceServers.find({ identifier: aud });
      if (server?.introspection_clients?.includes(callerId)) return true;
    }
    return false;
  }

  async function introspect(req: IncomingMessage): Promise<Answer> {
    if (req.method !== 'POST') return { status: 405, body: { error: 'invalid_request', error_description: 'use POST' } };
    if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'the body must be application/x-www-form-urlencoded' } };
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, BODY_LIMIT);
    } catch {
      return { status: 413, body: { error: 'invalid_request', error_description: 'body too large' } };
    }
    const form = formOf(raw);
    if (!form) return { status: 400, body: { error: 'invalid_request', error_description: 'parameters must not be provided more than once' } };
    const credentials = credentialsOf(req, form);
    if (credentials === 'bad' || credentials === 'none') return invalidClient;
    const caller = await opts.pool.clients.find({ clientId: credentials.id });
    if (!caller || caller.token_endpoint_auth_method !== credentials.method) return invalidClient;
    if (!(await clientSecretMatches(opts.db, caller.client_id, caller.client_secret, credentials.secret))) return invalidClient;
    const token = form.get('token');
    if (!token) return { status: 400, body: { error: 'invalid_request', error_description: 'missing token' } };

    const payload = await verify(token);
    if (!payload || !(await mayIntrospect(caller.client_id, payload)) || !(await live(payload))) return inactive;
    const claims = typeof payload.sub === 'string' ? await opts.pool.users.claims({ id: payload.sub }) : undefined;
    return {
      status: 200,
      body: {
        active: true,
        scope: payload.scope,
        client_id: payload.client_id,
        ...(claims ? { username: claims['cognito:username'], sub: payload.sub } : {}),
        token_type: 'Bearer',
        token_use: payload.token_use,
        exp: payload.exp,
        iat: payload.iat,
        iss: payload.iss,
        aud: payload.aud,
        jti: payload.jti,
      },
    };
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const answer = await introspect(req);
    res.statusCode = answer.status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('pragma', 'no-cache');
    if (answer.challenge) res.setHeader('www-authenticate', 'Basic realm="introspection"');
    res.end(JSON.stringify(answer.body));
  };
}
