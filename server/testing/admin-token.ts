import { generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { signingKeys } from '../oidc/keys';

export interface MintOptions {
  issuer: string;
  scope?: string;
  clientId?: string;
  audience?: string;
  /** Seconds from now; negative: already expired. */
  expiresIn?: number;
  /** Sign with a key the pool never published (a forger's). */
  foreignKey?: boolean;
}

/**
 * An admin API access token as the client_credentials grant issues it (issue 12's contract),
 * signed with the pool's real signing key: what the API must accept, and, by changing one
 * option, what it must refuse.
 */
export async function mintAdminToken(db: Kysely<Database>, o: MintOptions): Promise<string> {
  const [active] = await signingKeys(db);
  const key = o.foreignKey ? (await generateKeyPair('RS256', { extractable: true })).privateKey : await importJWK(active as JWK, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ scope: o.scope ?? 'foyer/admin', client_id: o.clientId ?? 'admin-robot', token_use: 'access' })
    .setProtectedHeader({ alg: 'RS256', kid: active.kid, typ: 'at+jwt' })
    .setIssuer(o.issuer)
    .setAudience(o.audience ?? 'foyer')
    .setSubject(o.clientId ?? 'admin-robot')
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expiresIn ?? 300))
    .sign(key);
}
