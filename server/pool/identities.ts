/** The pool's record of which outside identities are linked to which user; federation signs in through them. */
import { cognitoProviderType, type ProviderType } from '../config/identity-providers';
import type { PoolContext } from './context';
import { inTransaction } from './transaction';
import { getUserRow } from './users';

/** One outside identity linked to a pool user. */
export interface LinkedIdentity {
  providerName: string;
  providerType: ProviderType;
  /** The user's id at the provider (OIDC `sub`, SAML NameID). */
  subject: string;
  issuer: string | null;
  linkedAt: number;
  lastSignInAt: number | null;
}

export async function listIdentities(ctx: PoolContext, userId: string): Promise<LinkedIdentity[]> {
  const rows = await ctx.db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).orderBy('linked_at').orderBy('provider_name').execute();
  return rows.map((r) => ({
    providerName: r.provider_name,
    providerType: r.provider_type as ProviderType,
    subject: r.subject,
    issuer: r.issuer,
    linkedAt: Number(r.linked_at),
    lastSignInAt: r.last_sign_in_at === null ? null : Number(r.last_sign_in_at),
  }));
}

export async function findIdentity(ctx: PoolContext, provider: string, subject: string) {
  return ctx.db.selectFrom('user_identities').selectAll().where('provider_name', '=', provider).where('subject', '=', subject).executeTakeFirst();
}

export async function linkIdentity(
  ctx: PoolContext,
  link: { userId: string; provider: string; providerType: ProviderType; subject: string; issuer: string | null },
): Promise<void> {
  const now = ctx.now();
  await ctx.db
    .insertInto('user_identities')
    .values({
      provider_name: link.provider,
      subject: link.subject,
      user_id: link.userId,
      provider_type: link.providerType,
      issuer: link.issuer,
      linked_at: now,
      last_sign_in_at: now,
    })
    .execute();
}

export async function touchIdentity(ctx: PoolContext, provider: string, subject: string): Promise<void> {
  await ctx.db.updateTable('user_identities').set({ last_sign_in_at: ctx.now() }).where('provider_name', '=', provider).where('subject', '=', subject).execute();
}

export type UnlinkResult = { unlinked: true } | { refused: 'not_linked' | 'last_sign_in_method' };

/**
 * Removes the user's identities at one provider, unless that would leave no way to sign in:
 * a user without a password of ours keeps at least one identity.
 */
export async function unlinkIdentity(ctx: PoolContext, userId: string, provider: string): Promise<UnlinkResult> {
  return inTransaction(ctx, async (tx) => {
    const { db } = tx;
    const identities = await listIdentities(tx, userId);
    const removing = identities.filter((i) => i.providerName === provider);
    if (removing.length === 0) return { refused: 'not_linked' } as const;
    const user = await getUserRow(tx, userId);
    const hasPassword = !!user?.password_hash && user.status !== 'EXTERNAL_PROVIDER';
    if (!hasPassword && identities.length === removing.length) return { refused: 'last_sign_in_method' } as const;
    await db.deleteFrom('user_identities').where('user_id', '=', userId).where('provider_name', '=', provider).execute();
    await db.insertInto('events').values({ type: 'identity_unlinked', user_id: userId, ip: null, detail: JSON.stringify({ provider }), created_at: ctx.now() }).execute();
    return { unlinked: true } as const;
  });
}

/**
 * Cognito's `identities` claim: one entry per linked identity. `primary` is "true" for the
 * identity that created a federated user; values are strings, as Cognito sends them.
 */
export async function identitiesClaim(ctx: PoolContext, userId: string, federatedUser: boolean) {
  const identities = await listIdentities(ctx, userId);
  if (identities.length === 0) return undefined;
  return identities.map((i, n) => ({
    userId: i.subject,
    providerName: i.providerName,
    providerType: cognitoProviderType[i.providerType] ?? 'OIDC',
    issuer: i.issuer,
    primary: federatedUser && n === 0 ? 'true' : 'false',
    dateCreated: String(i.linkedAt),
  }));
}

/** The façade's part: a user's linked outside identities (account self-service). */
export function identitiesFacade(ctx: PoolContext) {
  return {
    /** The outside identities linked to a user. */
    list: (o: { userId: string }) => listIdentities(ctx, o.userId),
    /** Unlinks the user's identity at `provider`; refused when it is their last way to sign in. */
    unlink: (o: { userId: string; provider: string }) => unlinkIdentity(ctx, o.userId, o.provider),
  };
}
