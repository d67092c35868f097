/** Federation's routes under `/oauth2/` (answered before oidc-provider's catch-all). */

/** Sends the browser to a provider: `?uid=&provider=` (or `&idp_identifier=`), `&locale=`, `&login_hint=`. */
export const IDP_START_PATH = '/oauth2/idpstart';
/** Where every OpenID Connect / OAuth 2.0 provider sends the browser back (Cognito's path). */
export const IDP_RESPONSE_PATH = '/oauth2/idpresponse';
/** Where a provider's logout sends the browser back to (its post_logout_redirect_uri). */
export const IDP_LOGOUT_PATH = '/oauth2/idplogout';

export const federationPaths: ReadonlySet<string> = new Set([IDP_START_PATH, IDP_RESPONSE_PATH, IDP_LOGOUT_PATH]);
