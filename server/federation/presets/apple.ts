import { createPrivateKey, sign } from 'node:crypto';
import type { IdentityProviderOf } from '../../config/identity-providers';

export const APPLE_ISSUER = 'https://appleid.apple.com';

const b64url = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * Sign in with Apple's client secret: an ES256 JWT signed with the team's .p8 key, naming the
 * Services ID (sub) and the team (iss) for Apple (aud). Made fresh for each token request.
 * Synchronous (node:crypto) because openid-client's client authentication hook is.
 */
export function appleClientSecret(
  p: Pick<IdentityProviderOf<'apple'>, 'team_id' | 'key_id' | 'client_id' | 'private_key'>,
  audience = APPLE_ISSUER,
  now = Date.now(),
): string {
  const iat = Math.floor(now / 1000);
  const input = `${b64url({ alg: 'ES256', kid: p.key_id, typ: 'JWT' })}.${b64url({ iss: p.team_id, iat, exp: iat + 300, aud: audience, sub: p.client_id })}`;
  // JOSE wants the raw r||s signature, not DER.
  const signature = sign('sha256', Buffer.from(input), { key: createPrivateKey(p.private_key), dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

/** Apple posts the user's name once, at the first sign-in, beside (not inside) the ID token. */
export function appleNameClaims(response: URLSearchParams): Record<string, string> {
  const raw = response.get('user');
  if (!raw || raw.length > 4096) return {};
  try {
    const user = JSON.parse(raw) as { name?: { firstName?: unknown; lastName?: unknown } };
    const given = typeof user.name?.firstName === 'string' ? user.name.firstName : undefined;
    const family = typeof user.name?.lastName === 'string' ? user.name.lastName : undefined;
    const out: Record<string, string> = {};
    if (given) out.given_name = given;
    if (family) out.family_name = family;
    if (given || family) out.name = [given, family].filter(Boolean).join(' ');
    return out;
  } catch {
    return {};
  }
}
