/**
 * Every failure the SDK reports: `code` is the OAuth error from Foyer (`login_required`,
 * `interaction_required`, `access_denied`, ...) or one of the SDK's own checks.
 */
export class FoyerError extends Error {
  constructor(
    readonly code: string,
    message?: string,
  ) {
    super(message ? `${code}: ${message}` : code);
    this.name = 'FoyerError';
  }
}
