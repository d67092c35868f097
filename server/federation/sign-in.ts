import { createHash } from 'node:crypto';
import type { PoolContext } from '../pool/context';
import { fail, type PoolError } from '../pool/errors';
import type { FlowOutcome } from '../pool/flow';
import { insertUser, usernameTaken } from '../pool/users';
import { findIdentity, linkIdentity, touchIdentity } from '../pool/identities';
import { savePendingLink } from './link';
import { profileOf, refreshProfile, verifiedOwner } from './profile';
import type { IdentityProvider } from './providers';

/**
 * What a protocol module hands over once it has verified a provider's answer (OIDC: the ID token
 * and userinfo; SAML: the signed assertion). Everything after this is common to all protocols.
 */
export interface VerifiedIdentity {
  /** The provider record's `name`. */
  provider: string;
  /** The user's stable id at the provider: OIDC `sub`, SAML persistent NameID. */
  subject: string;
  /** OIDC claims or SAML attributes (string or string[] values), read through `attribute_mapping`. */
  claims: Record<string, unknown>;
  /** In the `identities` claim: the OIDC issuer or SAML entity ID; null for social providers. */
  issuer: string | null;
  /** What federated sign-out needs later (OIDC `{ id_token }`, SAML `{ name_id, session_index }`). */
  session?: Record<string, unknown>;
}

/** Cognito's username for a federated user: `<provider>_<subject>` (a hash when that is too long). */
export function federatedUsername(provider: string, subject: string): string {
  const plain = `${provider}_${subject}`;
  return plain.length <= 128 && !/\s/.test(plain) ? plain : `${provider}_${createHash('sha256').update(subject).digest('base64url')}`;
}

/**
 * A verified outside identity becomes a pool sign-in:
 * - a linked identity signs its user in (attributes refreshed);
 * - a new identity whose verified e-mail belongs to an existing user waits for that user to
 *   prove they own the account (`link-account`): never linked silently;
 * - otherwise a new user is created (status EXTERNAL_PROVIDER, username `<provider>_<subject>`).
 * Second factors are the provider's business, as in Cognito: `amr` is `fed`.
 */
export async function federatedSignIn(ctx: PoolContext, idp: IdentityProvider, v: VerifiedIdentity, uid: string): Promise<FlowOutcome | PoolError> {
  const profile = profileOf(idp, v.claims);
  const linked = await findIdentity(ctx, idp.name, v.subject);
  if (linked) {
    const user = await ctx.db.selectFrom('users').selectAll().where('id', '=', linked.user_id).executeTakeFirst();
    if (!user) return fail('session_expired');
    if (user.enabled !== 1) return fail('user_disabled');
    await refreshProfile(ctx, user, profile);
    await touchIdentity(ctx, idp.name, v.subject);
    return { done: { userId: user.id, amr: ['fed'] } };
  }
  if (profile.email && profile.emailVerified) {
    const owner = await verifiedOwner(ctx, 'email_lower', profile.email);
    if (owner) {
      await savePendingLink(ctx, uid, { userId: owner.id, identity: v });
      return { next: { step: 'link-account', userId: owner.id, provider: idp.name, email: owner.email ?? profile.email } };
    }
  }
  try {
    const userId = await ctx.db.transaction().execute(async (db) => {
      const tx = { ...ctx, db };
      let username = federatedUsername(idp.name, v.subject);
      if (await usernameTaken(tx, username)) username = federatedUsername(idp.name, `${v.subject}_${createHash('sha256').update(v.subject).digest('hex').slice(0, 8)}`);
      const phoneFree = profile.phoneNumber && profile.phoneNumberVerified ? !(await verifiedOwner(tx, 'phone_number', profile.phoneNumber)) : true;
      const id = await insertUser(tx, {
        username,
        email: profile.email,
        emailVerified: profile.emailVerified === true,
        phoneNumber: profile.phoneNumber,
        phoneNumberVerified: profile.phoneNumberVerified === true && phoneFree,
        passwordHash: null,
        status: 'EXTERNAL_PROVIDER',
        attributes: profile.attributes,
      });
      await linkIdentity(tx, { userId: id, provider: idp.name, providerType: idp.type, subject: v.subject, issuer: v.issuer });
      await db.insertInto('events').values({ type: 'federated_sign_up', user_id: id, ip: null, detail: JSON.stringify({ provider: idp.name }), created_at: ctx.now() }).execute();
      return id;
    });
    return { done: { userId, amr: ['fed'] } };
  } catch (e) {
    // The same identity's first sign-in finished in another tab a moment ago: use that user.
    if (await findIdentity(ctx, idp.name, v.subject)) return federatedSignIn(ctx, idp, v, uid);
    throw e;
  }
}

/** What `federatedSignIn` would do with an identity, decided the same way but changing nothing. */
export type SignInPreview =
  | { outcome: 'linked'; username: string; enabled: boolean }
  | { outcome: 'link'; username: string }
  | { outcome: 'new'; username: string };

/** For a console admin's test sign-in: the user the identity would sign in as, without a write. */
export async function previewSignIn(ctx: PoolContext, idp: IdentityProvider, v: VerifiedIdentity): Promise<SignInPreview> {
  const profile = profileOf(idp, v.claims);
  const linked = await findIdentity(ctx, idp.name, v.subject);
  const userOf = (id: string) => ctx.db.selectFrom('users').select(['username', 'enabled']).where('id', '=', id).executeTakeFirst();
  if (linked) {
    const user = await userOf(linked.user_id);
    if (user) return { outcome: 'linked', username: user.username, enabled: user.enabled === 1 };
  }
  if (profile.email && profile.emailVerified) {
    const owner = await verifiedOwner(ctx, 'email_lower', profile.email);
    const user = owner ? await userOf(owner.id) : undefined;
    if (user) return { outcome: 'link', username: user.username };
  }
  let username = federatedUsername(idp.name, v.subject);
  if (await usernameTaken(ctx, username)) username = federatedUsername(idp.name, `${v.subject}_${createHash('sha256').update(v.subject).digest('hex').slice(0, 8)}`);
  return { outcome: 'new', username };
}
