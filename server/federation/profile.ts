import type { PoolContext } from '../pool/context';
import { keepImmutable } from '../pool/custom-attributes';
import type { UserRow } from '../pool/users';
import { defaultMapping, mapClaims, type MappedProfile } from './mapping';
import type { IdentityProvider } from './providers';

/** The user holding a verified e-mail or phone number (a sign-in name), other than `except`. */
export async function verifiedOwner(ctx: PoolContext, column: 'email_lower' | 'phone_number', value: string, except?: string) {
  let q = ctx.db.selectFrom('users').select(['id', 'email']).where(column, '=', column === 'email_lower' ? value.toLowerCase() : value);
  q = q.where(column === 'email_lower' ? 'email_verified' : 'phone_number_verified', '=', 1);
  if (except) q = q.where('id', '!=', except);
  return q.executeTakeFirst();
}

/**
 * The mapped attributes refresh the user at every sign-in. A verified address another account
 * holds is not taken over (it is a sign-in name there), and the same address never loses its
 * verified mark because a provider stopped saying so. An immutable custom attribute, once set, stays.
 */
export async function refreshProfile(ctx: PoolContext, user: UserRow, profile: MappedProfile): Promise<void> {
  const patch: Partial<Pick<UserRow, 'email' | 'email_lower' | 'email_verified' | 'phone_number' | 'phone_number_verified' | 'attributes'>> = {};
  if (profile.email !== undefined) {
    const same = profile.email.toLowerCase() === user.email_lower;
    const verified = same ? user.email_verified === 1 || profile.emailVerified === true : profile.emailVerified === true;
    if (!verified || !(await verifiedOwner(ctx, 'email_lower', profile.email, user.id))) {
      Object.assign(patch, { email: profile.email, email_lower: profile.email.toLowerCase(), email_verified: verified ? 1 : 0 });
    }
  } else if (profile.emailVerified !== undefined && user.email && user.email_verified !== 1 && profile.emailVerified) {
    if (!(await verifiedOwner(ctx, 'email_lower', user.email, user.id))) patch.email_verified = 1;
  }
  if (profile.phoneNumber !== undefined) {
    const same = profile.phoneNumber === user.phone_number;
    const verified = same ? user.phone_number_verified === 1 || profile.phoneNumberVerified === true : profile.phoneNumberVerified === true;
    if (!verified || !(await verifiedOwner(ctx, 'phone_number', profile.phoneNumber, user.id))) {
      Object.assign(patch, { phone_number: profile.phoneNumber, phone_number_verified: verified ? 1 : 0 });
    }
  }
  const before = JSON.parse(user.attributes) as Record<string, string>;
  // An immutable custom attribute keeps its first value, as in Cognito.
  const after = keepImmutable((await ctx.settings()).custom_attributes, before, { ...before, ...profile.attributes });
  if (JSON.stringify(after) !== JSON.stringify(before)) patch.attributes = JSON.stringify(after);
  if (Object.keys(patch).length === 0) return;
  await ctx.db.updateTable('users').set({ ...patch, updated_at: ctx.now() }).where('id', '=', user.id).execute();
}

export const profileOf = (idp: IdentityProvider, claims: Record<string, unknown>) => mapClaims(idp.attribute_mapping ?? defaultMapping(idp.type), claims);

