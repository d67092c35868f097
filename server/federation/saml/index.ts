/**
 * SAML 2.0 service provider: the protocol core, for the federation plumbing to call.
 * Everything that takes input from outside returns `{ ok } | { error: SamlErrorCode, detail }`;
 * `detail` is for the log, the code has a translated message under `saml.errors.<code>`.
 */
export { CLOCK_SKEW_MS, type SamlContext } from './client';
export { consumeResponse, ASSERTION_MAX_AGE_MS, RESPONSE_MAX_BYTES, type SamlSignIn } from './consume';
export { providerNameFromEntityId, SAML_PATHS, spEndpoints, type SpEndpoints } from './endpoints';
export { SAML_ERROR_CODES, type SamlErrorCode, type SamlFailure, type SamlResult } from './errors';
export {
  fetchIdpMetadata,
  forgetFetchedMetadata,
  METADATA_MAX_BYTES,
  METADATA_TIMEOUT_MS,
  parseIdpMetadata,
  resolveIdpMetadata,
  type IdpMetadata,
} from './idp-metadata';
export { importIdpMetadata } from './import';
export { RELAY_STATE_MAX_BYTES, startLogin, type SamlOutbound } from './login';
export {
  answerLogoutRequest,
  consumeLogoutRequest,
  consumeLogoutResponse,
  startLogout,
  type SamlInbound,
  type SamlLogoutRequest,
  type SamlLogoutSubject,
} from './logout';
export { mapAttributes, NAME_ID_FORMATS, samlProviderSchema, type SamlProvider, type SamlProviderInput } from './provider';
export { findProvider, peekMessage } from './route';
export { spKeys, type SpKeys } from './sp-keys';
export { spMetadataXml } from './sp-metadata';
export { REQUEST_TTL_MS, sweepSaml } from './store';
