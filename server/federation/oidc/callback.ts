import * as oidc from 'openid-client';
import { FederationError } from '../errors';
import { subjectSchema } from '../mapping';
import type { OAuthProvider } from '../presets';
import { ProfileError } from '../presets/profile';
import { providerClient, ProviderUnavailable } from './client';
import type { OAuthRequestData } from './authorize';

/** The parameters of an authorization response that openid-client reads; anything else stays out. */
const responseParams = ['code', 'state', 'iss', 'error', 'error_description', 'error_uri', 'session_state'];

export interface VerifiedOAuthUser {
  subject: string;
  claims: Record<string, unknown>;
  issuer: string | null;
  /** Kept for RP-initiated logout at the provider. */
  session?: { id_token: string };
}

/**
 * Checks an authorization response for the request it answers and turns it into a user: state
 * (already matched by the caller), the issuer (RFC 9207), the code exchanged with the PKCE
 * verifier, the ID token's signature, issuer, audience and nonce, then userinfo or the profile API.
 */
export async function verifyAuthorizationResponse(p: OAuthProvider, response: URLSearchParams, request: OAuthRequestData & { state: string; redirectUri: string }): Promise<VerifiedOAuthUser> {
  const error = response.get('error');
  if (error) {
    throw new FederationError(error === 'access_denied' ? 'denied' : 'provider_error', `provider answered error=${error.slice(0, 64)}`);
  }
  let client;
  try {
    client = await providerClient(p);
  } catch (e) {
    throw new FederationError('provider_unavailable', (e as Error).message, { cause: e });
  }
  const { settings, config } = client;
  // Mix-up defence: a response naming another issuer is refused before any code is sent anywhere.
  const expectedIssuer = config.serverMetadata().issuer;
  const iss = response.get('iss');
  if (iss !== null && iss !== expectedIssuer) throw new FederationError('wrong_issuer', `response from issuer ${iss.slice(0, 200)}, expected ${expectedIssuer}`);

  const current = new URL(request.redirectUri);
  for (const name of responseParams) {
    const v = response.get(name);
    if (v !== null) current.searchParams.set(name, v);
  }
  const isOidc = settings.kind === 'oidc';
  try {
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      ...(isOidc ? { expectedNonce: request.nonce, idTokenExpected: true } : {}),
      // A max_age we sent: the ID token must carry an auth_time within it (OIDC Core 3.1.2.1).
      ...(isOidc && request.max_age !== undefined ? { maxAge: request.max_age } : {}),
    });
    if (settings.kind === 'oauth2') {
      const { subject, claims } = await settings.profile(config, tokens.access_token, settings.endpoints.userinfo_endpoint);
      return { subject, claims, issuer: null };
    }
    const idClaims = tokens.claims()!;
    const subject = subjectSchema.parse(idClaims.sub);
    let claims: Record<string, unknown> = { ...(settings.responseClaims?.(response) ?? {}), ...idClaims };
    // More claims from userinfo where there is one (its `sub` must be the ID token's).
    if (config.serverMetadata().userinfo_endpoint && tokens.access_token) {
      const info = await oidc.fetchUserInfo(config, tokens.access_token, subject);
      claims = { ...claims, ...info };
    }
    return { subject, claims, issuer: settings.issuerInIdentities ? expectedIssuer : null, session: tokens.id_token ? { id_token: tokens.id_token } : undefined };
  } catch (e) {
    throw classify(e);
  }
}

/** Network trouble is the provider being unavailable; everything else is a response we refuse. */
function classify(e: unknown): FederationError {
  if (e instanceof FederationError) return e;
  const message = (e as Error)?.message ?? String(e);
  if (e instanceof ProviderUnavailable) return new FederationError('provider_unavailable', message, { cause: e });
  if (e instanceof oidc.AuthorizationResponseError) {
    return new FederationError(e.error === 'access_denied' ? 'denied' : 'provider_error', `provider answered error=${e.error}`, { cause: e });
  }
  if (e instanceof ProfileError || e instanceof oidc.ResponseBodyError) return new FederationError('invalid_response', message, { cause: e });
  const cause = (e as { cause?: Error })?.cause;
  const detail = `${message}${cause?.message ? `: ${cause.message}` : ''}`;
  if (/"iss"/.test(detail)) return new FederationError('wrong_issuer', detail, { cause: e });
  const network = e instanceof TypeError || (e as Error)?.name === 'TimeoutError' || (e as Error)?.name === 'AbortError' || (e as { code?: string })?.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM';
  return new FederationError(network ? 'provider_unavailable' : 'invalid_response', detail, { cause: e });
}
