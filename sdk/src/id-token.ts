import { fromBase64url } from './encoding';
import { FoyerError } from './errors';

export type IdTokenClaims = { iss: string; sub: string; aud: string | string[]; exp: number; iat: number; nonce?: string; azp?: string; [claim: string]: unknown };

type Jwk = JsonWebKey & { kid?: string; alg?: string };
const ALGORITHMS: Record<string, RsaHashedImportParams | EcKeyImportParams> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
};
const VERIFY: Record<string, AlgorithmIdentifier | EcdsaParams> = { RS256: 'RSASSA-PKCS1-v1_5', ES256: { name: 'ECDSA', hash: 'SHA-256' } };

const decode = (part: string): unknown => JSON.parse(new TextDecoder().decode(fromBase64url(part)));

/**
 * Checks an ID token as OpenID Connect Core §3.1.3.7 asks of a browser client: its signature by
 * one of the issuer's keys (WebCrypto), `iss`, `aud` (and `azp`), `exp` and the `nonce` this
 * sign-in sent. `skew` forgives clocks that disagree a little.
 */
export async function verifyIdToken(
  token: string,
  o: { issuer: string; clientId: string; nonce: string; keys: Jwk[]; now?: number; skewSeconds?: number },
): Promise<IdTokenClaims> {
  const parts = token.split('.');
  if (parts.length !== 3) throw new FoyerError('invalid_id_token', 'not a JWT');
  let header: { alg?: string; kid?: string };
  let claims: IdTokenClaims;
  try {
    header = decode(parts[0]) as typeof header;
    claims = decode(parts[1]) as IdTokenClaims;
  } catch {
    throw new FoyerError('invalid_id_token', 'not a JWT');
  }
  const alg = header.alg ?? '';
  if (!(alg in ALGORITHMS)) throw new FoyerError('invalid_id_token', `algorithm ${alg} not accepted`);
  const jwk = o.keys.find((k) => k.kid === header.kid && (!k.alg || k.alg === alg));
  if (!jwk) throw new FoyerError('invalid_id_token', 'signed by an unknown key');
  const { kty, n, e, crv, x, y } = jwk;
  const key = await crypto.subtle.importKey('jwk', { kty, n, e, crv, x, y }, ALGORITHMS[alg], false, ['verify']);
  const signed = new TextEncoder().encode(`${parts[0]}.${parts[1]}`);
  if (!(await crypto.subtle.verify(VERIFY[alg], key, fromBase64url(parts[2]), signed))) throw new FoyerError('invalid_id_token', 'bad signature');

  const now = o.now ?? Math.floor(Date.now() / 1000);
  const skew = o.skewSeconds ?? 60;
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== o.issuer) throw new FoyerError('invalid_id_token', 'wrong issuer');
  if (!audiences.includes(o.clientId) || (audiences.length > 1 && claims.azp !== o.clientId)) throw new FoyerError('invalid_id_token', 'wrong audience');
  if (typeof claims.exp !== 'number' || claims.exp + skew < now) throw new FoyerError('invalid_id_token', 'expired');
  if (claims.nonce !== o.nonce) throw new FoyerError('invalid_id_token', 'wrong nonce');
  return claims;
}
