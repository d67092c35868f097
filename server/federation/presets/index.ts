import * as oidc from 'openid-client';
import type { IdentityProviderConfig } from '../../config/identity-providers';
import { APPLE_ISSUER, appleClientSecret, appleNameClaims } from './apple';
import { amazonProfile, AMAZON_ENDPOINTS } from './amazon';
import { facebookEndpoints, facebookProfile } from './facebook';

export type OAuthProvider = Exclude<IdentityProviderConfig, { type: 'saml' }>;

/** The user as an OAuth 2.0 (not OpenID Connect) provider's API describes them. */
export type ProfileReader = (config: oidc.Configuration, accessToken: string, userinfoEndpoint: string) => Promise<{ subject: string; claims: Record<string, unknown> }>;

/**
 * How to talk to one provider: an OpenID Connect issuer found by discovery, or fixed OAuth 2.0
 * endpoints and an API for the profile. Every preset's endpoints can be moved (tests, proxies).
 */
export type OAuthSettings = {
  clientId: string;
  clientAuth: oidc.ClientAuth;
  scopes: string[];
  responseMode: 'query' | 'form_post';
  authorizeParams: Record<string, string>;
  /**
   * What asks the provider to authenticate the user again rather than reuse its session (a test
   * sign-in), in the provider's own terms; {} where it documents no way.
   */
  reauthenticate: Record<string, string>;
  /** Claims that ride beside the authorization response (Apple's first-time name). */
  responseClaims?: (response: URLSearchParams) => Record<string, unknown>;
  /** Whether the `identities` claim names the issuer (Cognito gives null for social providers). */
  issuerInIdentities: boolean;
} & (
  | { kind: 'oidc'; issuer: string }
  | { kind: 'oauth2'; issuer: string; endpoints: { authorization_endpoint: string; token_endpoint: string; userinfo_endpoint: string }; profile: ProfileReader }
);

const secretAuth = (method: 'client_secret_basic' | 'client_secret_post' | 'none', secret?: string): oidc.ClientAuth =>
  method === 'none' ? oidc.None() : method === 'client_secret_post' ? oidc.ClientSecretPost(secret) : oidc.ClientSecretBasic(secret);

export function oauthSettings(p: OAuthProvider): OAuthSettings {
  const base = { clientId: p.client_id, authorizeParams: p.authorize_params ?? {}, responseMode: 'query' as const, issuerInIdentities: false, reauthenticate: {} };
  switch (p.type) {
    case 'oidc':
      return {
        ...base,
        kind: 'oidc',
        issuer: p.issuer,
        clientAuth: secretAuth(p.token_endpoint_auth_method, p.client_secret),
        scopes: p.scopes ?? ['openid', 'email', 'profile'],
        responseMode: p.response_mode,
        issuerInIdentities: true,
        // OIDC Core 3.1.2.1: prompt=login SHOULD re-authenticate; max_age=0 MUST, and makes the ID
        // token carry auth_time, which the callback checks (a provider that ignored both is caught).
        reauthenticate: { prompt: 'login', max_age: '0' },
      };
    case 'google':
      // Google refuses prompt=login (it knows none, consent and select_account): nothing to ask.
      return { ...base, kind: 'oidc', issuer: p.issuer ?? 'https://accounts.google.com', clientAuth: secretAuth('client_secret_basic', p.client_secret), scopes: p.scopes ?? ['openid', 'email', 'profile'] };
    case 'microsoft':
      return {
        ...base,
        kind: 'oidc',
        // A single tenant: its issuer is fixed, so discovery and the ID token's `iss` are checked against it.
        issuer: p.issuer ?? `https://login.microsoftonline.com/${p.tenant_id}/v2.0`,
        clientAuth: secretAuth('client_secret_post', p.client_secret),
        scopes: p.scopes ?? ['openid', 'email', 'profile'],
        issuerInIdentities: true,
        reauthenticate: { prompt: 'login' },
      };
    case 'apple': {
      const issuer = p.issuer ?? APPLE_ISSUER;
      return {
        ...base,
        kind: 'oidc',
        issuer,
        // Apple answers by form_post whenever name or email is asked for.
        responseMode: 'form_post',
        clientAuth: (_as, _client, body) => {
          body.set('client_id', p.client_id);
          body.set('client_secret', appleClientSecret(p, issuer));
        },
        scopes: p.scopes ?? ['openid', 'email', 'name'],
        responseClaims: appleNameClaims,
      };
    }
    case 'facebook':
      return {
        ...base,
        kind: 'oauth2',
        issuer: 'https://www.facebook.com',
        endpoints: facebookEndpoints(p),
        profile: facebookProfile,
        clientAuth: secretAuth('client_secret_post', p.client_secret),
        scopes: p.scopes ?? ['public_profile', 'email'],
        // Facebook Login's re-authentication (it has no prompt=login).
        reauthenticate: { auth_type: 'reauthenticate' },
      };
    case 'amazon':
      return {
        ...base,
        kind: 'oauth2',
        issuer: 'https://www.amazon.com',
        endpoints: {
          authorization_endpoint: p.authorization_endpoint ?? AMAZON_ENDPOINTS.authorization_endpoint,
          token_endpoint: p.token_endpoint ?? AMAZON_ENDPOINTS.token_endpoint,
          userinfo_endpoint: p.userinfo_endpoint ?? AMAZON_ENDPOINTS.userinfo_endpoint,
        },
        profile: amazonProfile,
        clientAuth: secretAuth('client_secret_post', p.client_secret),
        scopes: p.scopes ?? ['profile'],
      };
  }
}
