import { federationPaths } from '../federation/paths';

/**
 * Federation's own routes under `/oauth2/` (start, `/oauth2/idpresponse`, return from a provider's
 * logout) and SAML's under `/saml2/`: answered by server/federation/http.ts before oidc-provider's
 * catch-all.
 */
export function isFederationPath(pathname: string): boolean {
  return federationPaths.has(pathname) || pathname.startsWith('/saml2/');
}

/** Which requests go to the protocol engine instead of Next.js. */
export function isProtocolPath(pathname: string): boolean {
  return (
    pathname.startsWith('/oauth2/') ||
    pathname.startsWith('/saml2/') ||
    pathname.startsWith('/.well-known/') ||
    pathname === '/logout' ||
    pathname.startsWith('/logout/')
  );
}

/** Cognito's hosted-UI entry points start an authorization request on a given screen. */
const entries: Record<string, string | undefined> = {
  '/login': undefined,
  '/oauth2/login': undefined,
  '/signup': 'signup',
  '/forgotPassword': 'forgot',
  '/confirmUser': undefined,
};

export function entryRedirect(pathname: string, search: string): string | undefined {
  if (!(pathname in entries)) return undefined;
  const params = new URLSearchParams(search);
  const screen = entries[pathname];
  if (screen) params.set('screen', screen);
  return `/oauth2/authorize?${params.toString()}`;
}
