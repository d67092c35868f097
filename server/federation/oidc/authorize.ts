import * as oidc from 'openid-client';
import type { OAuthProvider } from '../presets';
import { providerClient } from './client';

/** What the callback needs to check the answer to one authorization request. */
export interface OAuthRequestData {
  nonce: string;
  verifier: string;
  /** The max_age sent (a test sign-in's 0): the ID token's auth_time is checked against it. */
  max_age?: number;
}

/**
 * The redirect to a provider: code flow, a fresh state, nonce and PKCE S256 verifier every time
 * (the nonce also goes to plain OAuth 2.0 providers, where it is harmless). `reauthenticate`
 * (a console test sign-in) asks the provider to authenticate the user again, in its own terms.
 */
export async function authorizationRequest(p: OAuthProvider, opts: { redirectUri: string; loginHint?: string; reauthenticate?: boolean }) {
  const { settings, config } = await providerClient(p);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  const params: Record<string, string> = {
    ...settings.authorizeParams,
    ...(opts.reauthenticate ? settings.reauthenticate : {}),
    response_type: 'code',
    redirect_uri: opts.redirectUri,
    scope: settings.scopes.join(' '),
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  };
  if (settings.responseMode === 'form_post') params.response_mode = 'form_post';
  if (opts.loginHint) params.login_hint = opts.loginHint;
  const data: OAuthRequestData = { nonce, verifier };
  if (settings.kind === 'oidc' && params.max_age !== undefined) data.max_age = Number(params.max_age);
  return { url: oidc.buildAuthorizationUrl(config, params).href, state, data };
}
