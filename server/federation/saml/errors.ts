/**
 * Every failure of the SAML service provider, as a stable code. Each has a translated message
 * under `saml.errors.<code>` in messages/; `detail` is for the log only, never for the user.
 */
export const SAML_ERROR_CODES = [
  'saml_bad_response', // not a SAML message we can read, or one missing what the profile requires
  'saml_unsigned', // no XML signature at all
  'saml_bad_signature', // a signature that does not verify with the IdP's keys, tampering, wrapping
  'saml_issuer', // the assertion or message names another issuer than the IdP's entity ID
  'saml_audience', // the assertion is not meant for our SP entity ID
  'saml_recipient', // Recipient / Destination is not our endpoint
  'saml_expired', // NotOnOrAfter (with clock skew) passed, or the assertion is too old
  'saml_not_yet_valid', // NotBefore (with clock skew) still ahead
  'saml_replay', // this assertion / message ID was accepted before
  'saml_unsolicited', // no InResponseTo, and the provider does not allow IdP-initiated sign-in
  'saml_unknown_request', // InResponseTo (or RelayState) does not match a pending request of ours
  'saml_unencrypted', // a plain assertion where the provider requires encrypted ones
  'saml_decrypt', // an encrypted assertion we cannot decrypt
  'saml_idp_status', // the IdP answered with an error status (e.g. sign-in cancelled or refused)
  'saml_no_slo', // the IdP offers no single logout endpoint
  'saml_logout_failed', // the IdP answered a logout request with an error status
  'saml_metadata_invalid', // IdP metadata that is not usable SAML 2.0 IdP metadata
  'saml_metadata_fetch', // IdP metadata URL unreachable or answering an error
  'saml_metadata_timeout', // IdP metadata URL too slow
  'saml_metadata_too_large', // IdP metadata document over the size limit
] as const;

export type SamlErrorCode = (typeof SAML_ERROR_CODES)[number];

export type SamlFailure = { error: SamlErrorCode; detail?: string };
export type SamlResult<T> = { ok: T } | SamlFailure;

/** Thrown inside this module and turned into a SamlFailure at its edge. */
export class SamlError extends Error {
  constructor(
    readonly code: SamlErrorCode,
    detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
  }
}

export function failure(e: unknown): SamlFailure {
  if (e instanceof SamlError) return { error: e.code, detail: e.message };
  throw e;
}

/** Runs `fn`, turning a SamlError into `{ error }`; anything else is a bug and propagates. */
export async function attempt<T>(fn: () => Promise<T>): Promise<SamlResult<T>> {
  try {
    return { ok: await fn() };
  } catch (e) {
    return failure(e);
  }
}

/**
 * node-saml reports failures as plain Errors; these are its messages (5.x), mapped to our codes.
 * The tests drive each of these paths, so a library upgrade that rewords one shows up there.
 */
const NODE_SAML_MESSAGES: [RegExp, SamlErrorCode][] = [
  [/audience/i, 'saml_audience'],
  [/not yet valid/i, 'saml_not_yet_valid'],
  [/expired/i, 'saml_expired'],
  [/decrypt|EncryptedAssertion content/i, 'saml_decrypt'],
  [/signature|referenced node|ID cannot refer/i, 'saml_bad_signature'],
  [/Unknown SAML issuer|Missing SAML issuer/i, 'saml_issuer'],
  [/Bad status code/i, 'saml_logout_failed'],
];

export function fromNodeSaml(e: unknown): SamlError {
  if (e instanceof SamlError) return e;
  const err = e as Error & { xmlStatus?: string };
  const message = String(err?.message ?? e);
  if (err?.name === 'SamlStatusError' || typeof err?.xmlStatus === 'string') return new SamlError('saml_idp_status', message);
  const found = NODE_SAML_MESSAGES.find(([pattern]) => pattern.test(message));
  return new SamlError(found ? found[1] : 'saml_bad_response', message);
}
