import * as oidc from 'openid-client';
import type { OAuthProvider } from '../presets';
import { providerClient } from './client';

/** What the callback needs to check the answer to one authorization request. */
export interface OAuthRequestData {
  nonce: string;
  verifier: string;
}

/**
 * The redirect to a provider: code flow, a fresh state, nonce and PKCE S256 verifier every time
 * (the nonce also goes to plain OAuth 2.0 providers, where it is harmless).
 */
export async function authorizationRequest(p: OAuthProvider, opts: { redirectUri: string; loginHint?: string }) {
  const { settings, config } = await providerClient(p);
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  const params: Record<string, string> = {
    ...settings.authorizeParams,
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
  return { url: oidc.buildAuthorizationUrl(config, params).href, state, data };
}
