import type { Client, Grant, RefreshToken } from 'oidc-provider';
import { tokenLifetimes, type TokenLifetimes } from '../pool/clients';

/**
 * Token lifetimes per app client (its `token_validity`). They ride on oidc-provider's Client as
 * extra metadata (see providerClientMetadata) because its ttl functions are synchronous.
 */
export function lifetimesOf(client: Client | undefined): TokenLifetimes {
  return (client as { token_validity?: TokenLifetimes } | undefined)?.token_validity ?? tokenLifetimes({});
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Every use of a refresh token gives a new one (rotation) that lives `idle` at most, and never past
 * the absolute lifetime counted from the first token of the chain (`iiat`).
 */
export function refreshTokenTtl(lifetimes: TokenLifetimes, token: Pick<RefreshToken, 'iiat'>, now = nowSeconds()): number {
  const remaining = (token.iiat ?? now) + lifetimes.refresh_token_seconds - now;
  // The token being rotated was still valid, so a second at least remains; 0 would be an error.
  return Math.max(1, Math.min(lifetimes.refresh_token_idle_seconds, remaining));
}

/**
 * A grant must outlive the refresh tokens issued under it. A new sign-in that reuses one (the same
 * browser session, or consent given again) extends it to the client's refresh lifetime from now.
 * Returns whether it changed (the caller saves it).
 */
export function extendGrant(grant: Grant, seconds: number): boolean {
  const until = nowSeconds() + seconds;
  if ((grant.exp ?? 0) >= until) return false;
  grant.exp = until;
  return true;
}
