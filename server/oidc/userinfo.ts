import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Pool } from '../pool';
import { accessTokenVerifier } from './access-token';

/**
 * `/oauth2/userInfo` accepting our JWT access tokens, as Cognito's does. (oidc-provider's own
 * endpoint refuses tokens that carry an audience, and ours always do.) A token whose grant was
 * revoked or rotated away stops working here at once.
 */
export function userinfoHandler(opts: { issuer: string; keys: () => JWK[]; pool: Pool; db: Kysely<Database> }) {
  const verify = accessTokenVerifier(opts);

  function answer(res: ServerResponse, status: number, body: unknown, error?: string) {
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('access-control-allow-origin', '*');
    if (error) res.setHeader('www-authenticate', `Bearer error="${error}"`);
    res.end(JSON.stringify(body));
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-origin', '*');
      res.setHeader('access-control-allow-headers', 'authorization');
      res.setHeader('access-control-allow-methods', 'GET, POST');
      res.statusCode = 204;
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST') return answer(res, 405, { error: 'invalid_request' });
    const auth = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(auth);
    if (!match) return answer(res, 401, { error: 'invalid_token', error_description: 'missing bearer token' }, 'invalid_token');
    const payload = await verify(match[1], opts.issuer);
    if (!payload) return answer(res, 401, { error: 'invalid_token', error_description: 'invalid access token' }, 'invalid_token');
    const grantId = payload.origin_jti;
    const grant =
      typeof grantId === 'string'
        ? await opts.db.selectFrom('oidc_artifacts').select('id').where('model', '=', 'Grant').where('id', '=', grantId).executeTakeFirst()
        : undefined;
    const claims = grant && typeof payload.sub === 'string' ? await opts.pool.users.claims({ id: payload.sub }) : undefined;
    if (!claims) return answer(res, 401, { error: 'invalid_token', error_description: 'token revoked' }, 'invalid_token');
    const scopes = new Set(String(payload.scope ?? '').split(' '));
    const released = await opts.pool.scopeClaims();
    const out: Record<string, unknown> = { sub: claims.sub };
    for (const [scope, names] of Object.entries(released)) {
      if (!scopes.has(scope)) continue;
      for (const name of names) if (name in claims && !name.startsWith('cognito:') && name !== 'token_use') out[name] = claims[name];
    }
    if (scopes.has('openid')) out.username = claims['cognito:username'];
    answer(res, 200, out);
  };
}
