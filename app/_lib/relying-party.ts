import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { inProcessClientSecret } from '@/server/pool/client-secrets';
import { log } from '@/server/log';
import { runtime } from '@/server/runtime-handle';

/**
 * An OpenID Connect client that lives in this process (the demo app, the account pages). It talks
 * to Foyer only through the protocol, as any application would.
 */
const cache = new Map<string, { key: string; config: Promise<oidc.Configuration> }>();

export async function relyingParty(clientId: string): Promise<{ config: oidc.Configuration; base: string } | undefined> {
  const rt = await runtime();
  const issuer = rt.env.publicUrl;
  const client = await rt.pool.clients.find({ clientId });
  if (!client || client.token_endpoint_auth_method === 'none') return undefined;
  // Only its hash is stored: a client in this process authenticates with its derived secret.
  const secret = inProcessClientSecret(clientId);
  const key = `${issuer} ${secret}`;
  let entry = cache.get(clientId);
  if (!entry || entry.key !== key) {
    const options = issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : undefined;
    const config = oidc.discovery(new URL(issuer), client.client_id, undefined, oidc.ClientSecretBasic(secret), options);
    entry = { key, config };
    cache.set(clientId, entry);
    config.catch(() => cache.delete(clientId));
  }
  return { config: await entry.config, base: issuer };
}

/**
 * Starts a round trip to the authorization endpoint: code flow, PKCE S256, state and nonce. The
 * caller keeps `tx` (verifier, state, nonce) in a cookie for the callback.
 */
export async function authorizationRequest(
  rp: { config: oidc.Configuration; base: string },
  callbackPath: string,
  locale: string,
  extra: Record<string, string> = {},
) {
  const verifier = oidc.randomPKCECodeVerifier();
  const tx = { verifier, state: oidc.randomState(), nonce: oidc.randomNonce() };
  const url = oidc.buildAuthorizationUrl(rp.config, {
    redirect_uri: `${rp.base}${callbackPath}`,
    scope: 'openid email phone profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state: tx.state,
    nonce: tx.nonce,
    ui_locales: locale,
    ...extra,
  });
  return { url, tx };
}

export const packCookie = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function unpackCookie<T>(raw: string | undefined, valid: (v: Record<string, unknown>) => boolean): T | undefined {
  try {
    const v = JSON.parse(Buffer.from(raw ?? '', 'base64url').toString()) as Record<string, unknown>;
    return v && typeof v === 'object' && valid(v) ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The callback's half of the round trip: checks state, PKCE and nonce, exchanges the code, and
 * answers what a session of Foyer's own pages keeps (the grant its access token names, so the
 * session dies with it), or the error code to show.
 */
export async function finishAuthorization(
  rp: { config: oidc.Configuration; base: string },
  callbackPath: string,
  search: string,
  tx: { verifier: string; state: string; nonce: string },
): Promise<{ userId: string; grantId: string; idToken: string; authTime: number; amr: string[] } | { error: string }> {
  try {
    const tokens = await oidc.authorizationCodeGrant(rp.config, new URL(`${rp.base}${callbackPath}${search}`), {
      pkceCodeVerifier: tx.verifier,
      expectedState: tx.state,
      expectedNonce: tx.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    // Our access tokens name the grant they belong to.
    const grantId = decodeJwt(tokens.access_token).origin_jti;
    if (typeof grantId !== 'string' || typeof claims.auth_time !== 'number') return { error: 'server_error' };
    const amr = Array.isArray(claims.amr) ? claims.amr.map(String) : [];
    return { userId: claims.sub, grantId, idToken: tokens.id_token!, authTime: claims.auth_time * 1000, amr };
  } catch (e) {
    // The page says only "sign in again"; the operator learns why (no values: the library's code and message).
    log.warn({ callback: callbackPath, failure: describeFailure(e) }, 'sign-in callback refused');
    const reason = e instanceof oidc.AuthorizationResponseError ? e.error : 'session_expired';
    return { error: reason === 'access_denied' || reason === 'login_required' ? reason : 'session_expired' };
  }
}

/** What went wrong in a round trip, for a log line: the OAuth error, the HTTP status, the library's code. */
function describeFailure(e: unknown): Record<string, unknown> {
  if (e instanceof oidc.AuthorizationResponseError) return { kind: 'authorization_response', error: e.error };
  if (e instanceof oidc.ResponseBodyError) return { kind: 'token_response', error: e.error, status: e.status };
  const code = e instanceof Error && 'code' in e ? (e as { code?: unknown }).code : undefined;
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  return { kind: e instanceof Error ? e.name : typeof e, code, message: e instanceof Error ? e.message : undefined, cause };
}
