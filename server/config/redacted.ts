/**
 * What `foyer config export` writes in place of a secret (client secrets, provider secrets and
 * keys). Applying a file that still holds it keeps the secret already stored under that name.
 */
export const REDACTED = '[redacted: use config export --include-secrets to copy it]';
