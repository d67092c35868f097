import type { PoolContext } from './context';
import { getUserRow, groupsOf, toUser } from './users';
import { identitiesClaim } from './identities';

export type Claims = Record<string, unknown>;

const profileClaims = [
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
  'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at',
] as const;

/** The scopes and the claims each one releases; Cognito's extra claims ride on `openid`. */
export function scopeClaims(customAttributes: string[]): Record<string, string[]> {
  return {
    openid: ['sub', 'cognito:username', 'cognito:groups', 'token_use', 'identities', ...customAttributes],
    email: ['email', 'email_verified'],
    phone: ['phone_number', 'phone_number_verified'],
    profile: [...profileClaims],
    address: ['address'],
  };
}

/** Every claim the pool knows for a user; the protocol layer filters by scope. */
export async function userClaims(ctx: PoolContext, userId: string): Promise<Claims | undefined> {
  const row = await getUserRow(ctx, userId);
  if (!row || row.enabled !== 1) return undefined;
  const user = toUser(row);
  const claims: Claims = {
    sub: user.id,
    'cognito:username': user.username,
    'cognito:groups': await groupsOf(ctx, user.id),
    updated_at: Math.floor(user.updatedAt / 1000),
  };
  if (user.email) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  if (user.phoneNumber) {
    claims.phone_number = user.phoneNumber;
    claims.phone_number_verified = user.phoneNumberVerified;
  }
  // Cognito's claim for users with linked outside identities (federated or linked).
  const identities = await identitiesClaim(ctx, user.id, user.status === 'EXTERNAL_PROVIDER');
  if (identities) claims.identities = identities;
  for (const [k, v] of Object.entries(user.attributes)) {
    if (k === 'address') claims.address = { formatted: v };
    else claims[k] = v;
  }
  return claims;
}
