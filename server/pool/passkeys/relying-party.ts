import type { PoolContext } from '../context';

/**
 * The WebAuthn relying party is the issuer: its RP ID is PUBLIC_URL's host name (no port), and
 * only pages served from PUBLIC_URL's origin may use the credentials.
 */
export interface RelyingParty {
  id: string;
  origin: string;
}

export function relyingParty(publicUrl: string): RelyingParty {
  const url = new URL(publicUrl);
  return { id: url.hostname.replace(/^\[|\]$/g, ''), origin: url.origin };
}

/** What passkey operations need beyond the pool's context. */
export type PasskeyContext = PoolContext & { rp: RelyingParty };
