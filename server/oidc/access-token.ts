import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { publicJwk } from './keys';

/**
 * Verifies our JWT access tokens (RS256, typ at+jwt, our issuer) against the keys published at
 * the moment: a rotation gives a new array, and the key set is rebuilt from it. `audience`, when
 * given, must be among the token's.
 */
export function accessTokenVerifier(opts: { issuer: string; keys: () => JWK[] }) {
  let cached: { keys: JWK[]; jwks: ReturnType<typeof createLocalJWKSet> } | undefined;
  const jwks = () => {
    const keys = opts.keys();
    if (cached?.keys !== keys) cached = { keys, jwks: createLocalJWKSet({ keys: keys.map(publicJwk) }) };
    return cached.jwks;
  };
  return async (token: string, audience?: string): Promise<JWTPayload | undefined> => {
    try {
      const { payload } = await jwtVerify(token, jwks(), { issuer: opts.issuer, typ: 'at+jwt', algorithms: ['RS256'], ...(audience ? { audience } : {}) });
      return payload;
    } catch {
      return undefined;
    }
  };
}
