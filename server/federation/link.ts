import type { PoolContext } from '../pool/context';
import { fail, type PoolError } from '../pool/errors';
import type { FlowOutcome, FlowStep } from '../pool/flow';
import { signInWithPassword } from '../pool/sign-in';
import { getUserRow } from '../pool/users';
import { findIdentity, linkIdentity, listIdentities } from '../pool/identities';
import { profileOf, refreshProfile } from './profile';
import type { ProviderReader } from './providers';
import type { VerifiedIdentity } from './sign-in';

type LinkStep = Extract<FlowStep, { step: 'link-account' }>;

const PENDING_TTL_MS = 30 * 60_000;

/** An identity waits (per sign-in interaction) for the user to prove they own `userId`. */
export async function savePendingLink(ctx: PoolContext, uid: string, p: { userId: string; identity: VerifiedIdentity }): Promise<void> {
  const values = {
    user_id: p.userId,
    provider_name: p.identity.provider,
    subject: p.identity.subject,
    claims: JSON.stringify({ claims: p.identity.claims, issuer: p.identity.issuer }),
    session: p.identity.session ? JSON.stringify(p.identity.session) : null,
    proven: 0,
    expires_at: ctx.now() + PENDING_TTL_MS,
  };
  await ctx.db
    .insertInto('federation_pending_links')
    .values({ uid, ...values })
    .onConflict((oc) => oc.column('uid').doUpdateSet(values))
    .execute();
}

async function pendingLink(ctx: PoolContext, uid: string) {
  const row = await ctx.db.selectFrom('federation_pending_links').selectAll().where('uid', '=', uid).executeTakeFirst();
  return row && row.expires_at > ctx.now() ? row : undefined;
}

/** What the linking screen offers: the account's password, and the providers already linked to it. */
export async function linkOptions(ctx: PoolContext, step: LinkStep) {
  const user = await getUserRow(ctx, step.userId);
  const linked = await listIdentities(ctx, step.userId);
  return {
    password: !!user?.password_hash && user.status !== 'EXTERNAL_PROVIDER',
    providers: [...new Set(linked.map((i) => i.providerName))],
  };
}

/**
 * Proof of ownership by the account's password, through the ordinary sign-in (rate limits,
 * lockout, account status); the caller then asks for the second factor like any sign-in.
 */
export async function proveWithPassword(ctx: PoolContext, uid: string, step: LinkStep, input: { password: string; ip: string; locale: string }): Promise<FlowOutcome | PoolError> {
  const pending = await pendingLink(ctx, uid);
  const user = await getUserRow(ctx, step.userId);
  if (!pending || pending.user_id !== step.userId || !user) return fail('session_expired');
  const outcome = await signInWithPassword(ctx, { identifier: user.username, password: input.password, ip: input.ip, locale: input.locale });
  if ('error' in outcome) return outcome;
  const signedIn = 'done' in outcome ? outcome.done.userId : 'userId' in outcome.next ? outcome.next.userId : null;
  if (signedIn !== step.userId) return fail('invalid_credentials');
  await ctx.db.updateTable('federation_pending_links').set({ proven: 1 }).where('uid', '=', uid).execute();
  return outcome;
}

export async function cancelPendingLink(ctx: PoolContext, uid: string): Promise<void> {
  await ctx.db.deleteFrom('federation_pending_links').where('uid', '=', uid).execute();
}

/**
 * When a sign-in finishes: if an identity was waiting for this user and they proved ownership
 * (the linking screen's password, or a sign-in through a provider already linked to them), link
 * it now and refresh the user from its claims. Any other finished sign-in drops the waiting one.
 */
export async function completePendingLink(
  ctx: PoolContext,
  providers: ProviderReader,
  uid: string,
  done: { userId: string; amr: string[] },
): Promise<{ amr: string[]; upstream?: { provider: string; data: Record<string, unknown> } }> {
  const pending = await pendingLink(ctx, uid);
  if (!pending) return { amr: done.amr };
  await cancelPendingLink(ctx, uid);
  const proven = pending.proven === 1 || done.amr.includes('fed');
  const idp = await providers.get(pending.provider_name);
  if (!proven || pending.user_id !== done.userId || !idp) return { amr: done.amr };
  if (await findIdentity(ctx, idp.name, pending.subject)) return { amr: done.amr }; // linked meanwhile
  const { claims, issuer } = JSON.parse(pending.claims) as { claims: Record<string, unknown>; issuer: string | null };
  await linkIdentity(ctx, { userId: done.userId, provider: idp.name, providerType: idp.type, subject: pending.subject, issuer });
  await ctx.db.insertInto('events').values({ type: 'identity_linked', user_id: done.userId, ip: null, detail: JSON.stringify({ provider: idp.name }), created_at: ctx.now() }).execute();
  const user = await getUserRow(ctx, done.userId);
  if (user) await refreshProfile(ctx, user, profileOf(idp, claims));
  return {
    amr: [...new Set([...done.amr, 'fed'])],
    upstream: pending.session ? { provider: idp.name, data: JSON.parse(pending.session) as Record<string, unknown> } : undefined,
  };
}
