import { FoyerError } from './errors';

/** An authorization response, from the redirect's query or Foyer's `web_message`. */
export type AuthorizationResponse = { code?: string; state?: string; error?: string; error_description?: string; iss?: string };

/**
 * The code of an answer that belongs to this sign-in: its `state` first (an answer to another
 * request, or forged, is refused before anything else is believed, errors included), then
 * Foyer's error, then the issuer it names (RFC 9207).
 */
export function codeOf(answer: AuthorizationResponse, expected: { state: string; issuer: string }): string {
  if (!answer.state || answer.state !== expected.state) throw new FoyerError('state_mismatch');
  if (answer.error) throw new FoyerError(answer.error, answer.error_description);
  if (answer.iss !== undefined && answer.iss !== expected.issuer) throw new FoyerError('issuer_mismatch');
  if (!answer.code) throw new FoyerError('invalid_response', 'no code');
  return answer.code;
}
