import type { KoaContextWithOIDC } from 'oidc-provider';

/**
 * Amazon Cognito's sign-out endpoint, as its apps call it (no id_token_hint, no confirmation):
 * - `/logout?client_id=…&logout_uri=…`: sign out, then go to `logout_uri`, which must be one of
 *   the client's sign-out URLs (`post_logout_redirect_uris`);
 * - `/logout?client_id=…&redirect_uri=…&response_type=code[&scope&state&…]`: sign out, then start
 *   a new sign-in with those parameters (`redirect_uri` must be one of the client's).
 * A request carrying `id_token_hint` or `post_logout_redirect_uri` is the standard OpenID one and
 * is left to oidc-provider.
 */
export type CognitoLogoutRequest =
  | { clientId: string; logoutUri: string; lang?: string }
  | { clientId: string; redirectUri: string; signIn: URLSearchParams; lang?: string };

/** What the checked request leaves on `ctx.state` for end_session. */
export interface CognitoLogout {
  target: string;
}

const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

/** The Cognito form of the request, `{ error }` when it is one but malformed, undefined otherwise. */
export function cognitoLogoutRequest(q: URLSearchParams): CognitoLogoutRequest | { error: string } | undefined {
  const standard = q.has('id_token_hint') || q.has('post_logout_redirect_uri');
  if (standard || !q.has('client_id') || !(q.has('logout_uri') || q.has('redirect_uri'))) return undefined;
  // One of each, and one way out: anything else is ambiguous.
  for (const [name] of q) if (q.getAll(name).length > 1) return { error: `${name} repeated` };
  if (q.has('logout_uri') && q.has('redirect_uri')) return { error: 'logout_uri and redirect_uri together' };
  const clientId = q.get('client_id')!;
  const lang = q.get('lang') ?? undefined;
  if (lang !== undefined && !LANG.test(lang)) return { error: 'lang' };
  const logoutUri = q.get('logout_uri');
  if (logoutUri !== null) return { clientId, logoutUri, lang };
  if (q.get('response_type') !== 'code') return { error: 'response_type must be code' };
  const signIn = new URLSearchParams(q);
  return { clientId, redirectUri: q.get('redirect_uri')!, signIn, lang };
}

interface LogoutClient {
  postLogoutRedirectUriAllowed(uri: string): boolean;
  redirectUriAllowed(uri: string): boolean;
}

/** Where to send the browser once signed out, or undefined when the client did not register it. */
export function cognitoLogoutTarget(asked: CognitoLogoutRequest, client: LogoutClient): string | undefined {
  if ('logoutUri' in asked) return client.postLogoutRedirectUriAllowed(asked.logoutUri) ? asked.logoutUri : undefined;
  return client.redirectUriAllowed(asked.redirectUri) ? `/oauth2/authorize?${asked.signIn.toString()}` : undefined;
}

/** The checked Cognito sign-out this end_session request carries, if it is one. */
export function cognitoLogoutOf(ctx: KoaContextWithOIDC): CognitoLogout | undefined {
  return (ctx.state as { cognitoLogout?: CognitoLogout }).cognitoLogout;
}
