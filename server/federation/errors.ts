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
};

export class FederationError extends Error {
  constructor(
    readonly code: FederationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FederationError';
  }
}

export const isFederationErrorCode = (v: unknown): v is FederationErrorCode => (federationErrorCodes as readonly unknown[]).includes(v);
