import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema';
import { readBody } from '../../http/screen';
import { log } from '../../log';
import type { Pool } from '../../pool';
import { accessTokenVerifier } from '../access-token';
import { providerRevocation } from '../revocation';
import type { OpContext } from './context';
import { allowedHeaders, isRegisteredOrigin } from './cors';
import { loopbackEndpoints } from './endpoints';
import { CognitoError, invalidParameter } from './errors';
import { isOperation, operations } from './ops';

/** Cognito's bodies are small (tokens, a few parameters, ClientMetadata). */
const BODY_LIMIT = 64 * 1024;
const TARGET = /^AWSCognitoIdentityProviderService\.([A-Za-z]{1,64})$/;
const CONTENT_TYPE = /^application\/x-amz-json-1\.[01]\s*(;|$)/i;
const PREFLIGHT_MAX_AGE = '600';

export interface CognitoApi {
  /** `POST /` and its preflight `OPTIONS /`. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  close(): Promise<void>;
}

/** Whether a request to `/` is for the user-pool API (the rest, GET and HEAD, goes to the pages). */
export const isCognitoApiRequest = (pathname: string, method: string | undefined) => pathname === '/' && (method === 'POST' || method === 'OPTIONS');

/** A zod failure as Cognito words validation errors: which member, what was wrong. */
function validationMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  const at = issue.path.length ? issue.path.join('.') : 'body';
  return `1 validation error detected: Value at '${at}' failed to satisfy constraint: ${issue.message}`;
}

/**
 * Amazon Cognito's user-pool JSON API (`POST /`, `x-amz-target:
 * AWSCognitoIdentityProviderService.<Operation>`, AWS JSON 1.1) for the operations an SDK needs
 * after a hosted-UI sign-in: refresh (GetTokensFromRefreshToken, InitiateAuth REFRESH_TOKEN_AUTH),
 * RevokeToken, GlobalSignOut, GetUser. Errors have Cognito's shape and status 400. Browsers may call
 * it from the registered origins of the app clients (./cors.ts), with exact-origin CORS.
 */
export function cognitoApi(opts: { issuer: string; keys: () => JWK[]; pool: Pool; db: Kysely<Database>; handleOidc: (req: IncomingMessage, res: ServerResponse) => void }): CognitoApi {
  const endpoints = loopbackEndpoints({ issuer: opts.issuer, handle: opts.handleOidc });
  const verify = accessTokenVerifier({ issuer: opts.issuer, keys: opts.keys });
  const grants = providerRevocation();
  const ctx: OpContext = {
    pool: opts.pool,
    db: opts.db,
    endpoints,
    async verifyAccessToken(token) {
      const payload = await verify(token);
      if (!payload || typeof payload.origin_jti !== 'string') return undefined;
      return (await grants.grantLive(opts.db, payload.origin_jti)) ? payload : undefined;
    },
  };

  function send(res: ServerResponse, status: number, body: Record<string, unknown>, errorType?: string) {
    res.statusCode = status;
    res.setHeader('content-type', 'application/x-amz-json-1.1');
    res.setHeader('cache-control', 'no-store');
    if (errorType) res.setHeader('x-amzn-errortype', errorType);
    res.end(JSON.stringify(body));
  }

  async function answer(req: IncomingMessage): Promise<{ status: number; body: Record<string, unknown>; errorType?: string }> {
    try {
      if (!CONTENT_TYPE.test(req.headers['content-type'] ?? '')) throw invalidParameter('Content-Type must be application/x-amz-json-1.1');
      const target = TARGET.exec(String(req.headers['x-amz-target'] ?? ''));
      if (!target) throw invalidParameter('X-Amz-Target must be AWSCognitoIdentityProviderService.<Operation>');
      if (!isOperation(target[1])) throw new CognitoError('UnsupportedOperationException', `Operation ${target[1]} is not supported by this user pool`);
      let raw: Buffer;
      try {
        raw = await readBody(req, BODY_LIMIT);
      } catch {
        throw invalidParameter('Request body too large');
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8') || '{}');
      } catch {
        throw new CognitoError('SerializationException', 'Request body is not valid JSON');
      }
      const op = operations[target[1]];
      const input = op.input.safeParse(json);
      if (!input.success) throw invalidParameter(validationMessage(input.error));
      return { status: 200, body: await op.run(input.data, ctx) };
    } catch (e) {
      if (e instanceof CognitoError) return { status: e.status, body: { __type: e.type, message: e.message }, errorType: e.type };
      log.error({ err: e }, 'Cognito API: operation failed');
      return { status: 500, body: { __type: 'InternalErrorException', message: 'Internal error' }, errorType: 'InternalErrorException' };
    }
  }

  return {
    async handle(req, res) {
      const origin = req.headers.origin;
      const allowed = origin !== undefined && (await isRegisteredOrigin(opts.pool, origin));
      res.setHeader('vary', 'origin');
      if (allowed) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('access-control-expose-headers', 'x-amzn-requestid, x-amzn-errortype');
      }
      res.setHeader('x-amzn-requestid', String(res.getHeader('x-request-id') ?? ''));
      if (req.method === 'OPTIONS') {
        if (allowed) {
          res.setHeader('access-control-allow-methods', 'POST');
          const headers = allowedHeaders(req.headers['access-control-request-headers']);
          if (headers) res.setHeader('access-control-allow-headers', headers);
          res.setHeader('access-control-max-age', PREFLIGHT_MAX_AGE);
        }
        res.statusCode = 204;
        res.end();
        return;
      }
      const out = await answer(req);
      send(res, out.status, out.body, out.errorType);
    },
    close: () => endpoints.close(),
  };
}
