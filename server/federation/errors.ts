import { SAML_ERROR_CODES, type SamlErrorCode } from './saml/errors';

/**
 * Why a federated sign-in stopped. Each code has a translated message under `federation.errors`
 * and an HTTP status; none is a 500 (an outside provider failing is not our crash).
 */
export const federationErrorCodes = [
  'denied', // the user (or the provider) refused: error=access_denied
  'provider_error', // the provider answered with another OAuth error
  'provider_unavailable', // could not reach the provider, or its metadata was unusable
  'invalid_response', // a response that does not verify: signature, nonce, code refused, ...
  'wrong_issuer', // the response names another issuer than the provider asked (mix-up)
  'bad_state', // unknown, used, expired or another browser's state
  'session_expired', // the sign-in (interaction) this response was for is gone
  'not_allowed', // the app does not offer this provider
  'unknown_provider',
  'user_disabled',
  'rate_limited',
  'request_too_large', // a posted answer over the size limit
] as const;
export type FederationErrorCode = (typeof federationErrorCodes)[number];

export const federationErrorStatus: Record<FederationErrorCode, number> = {
  denied: 403,
  provider_error: 400,
  provider_unavailable: 424,
  invalid_response: 400,
  wrong_issuer: 400,
  bad_state: 400,
  session_expired: 409,
  not_allowed: 403,
  unknown_provider: 400,
  user_disabled: 403,
  rate_limited: 429,
  request_too_large: 413,
};

export class FederationError extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FederationError';
  }
}

export const isFederationErrorCode = (v: unknown): v is FederationErrorCode => (federationErrorCodes as readonly unknown[]).includes(v);

/**
 * What the federation error page can say: our codes (`federation.errors.*`) and the SAML
 * service provider's (`saml.errors.*`, from server/federation/saml/errors.ts).
 */
export type FailureCode = FederationErrorCode | SamlErrorCode;

export const isSamlErrorCode = (v: unknown): v is SamlErrorCode => (SAML_ERROR_CODES as readonly unknown[]).includes(v);
export const isFailureCode = (v: unknown): v is FailureCode => isFederationErrorCode(v) || isSamlErrorCode(v);

/** SAML failures: the IdP's answer is refused (400) unless it is one of these. */
const samlStatus: Partial<Record<SamlErrorCode, number>> = {
  saml_unsolicited: 403,
  saml_idp_status: 403,
  saml_replay: 409,
  saml_metadata_fetch: 424,
  saml_metadata_timeout: 424,
  saml_metadata_too_large: 424,
  saml_metadata_invalid: 424,
};

export function failureStatus(code: FailureCode): number {
  return isFederationErrorCode(code) ? federationErrorStatus[code] : (samlStatus[code] ?? 400);
}
