import { sql } from 'kysely';
import { PostgresAdapter } from 'kysely';
import type { CodedProblem, FieldCode, FieldParams } from '../../config/field-codes';
import { userReferenceProblems, type UserSeed } from '../../config/seed';
import type { OverrideProblemCode } from '../custom-text/validate';
import type { UserStatus } from '../../db/schema';
import type { PoolContext } from '../context';
import { hashPassword } from '../passwords/hash';
import { checkPassword, type PasswordProblem } from '../passwords/policy';
import { mailCode } from '../messages';
import { defaultLocale } from '../../../i18n/locales';
import { revokeEverything } from '../revocation';
import { invitable, invitationExpiry, issueInvitation } from '../invitations';
import { createSeedUser } from '../seed-user';
import { groupsOf, type UserRow } from '../users';
import { locksRows } from './lock';
import { pageOf, prefixPattern, type Page } from './page';

/**
 * A user as the pool config writes it (`users` of the config file), so that what the admin API
 * writes `config export` reads back; never a password or its hash.
 */
export interface UserRecord {
  username: string;
  sub: string;
  email?: string;
  email_verified: boolean;
  phone_number?: string;
  phone_number_verified: boolean;
  status: UserStatus;
  enabled: boolean;
  attributes: Record<string, string>;
  groups: string[];
  identities: { provider: string; subject: string; issuer?: string }[];
}

/** Why an admin write was refused: a field's problem (400) or a clash with another record (409). */
export type AdminRefusal =
  | { error: 'invalid'; problems: RefusalProblem[] }
  | ({ error: 'conflict' } & RefusalProblem)
  /** A conflict with several reasons, each coded (a theme still used by the pool and by app clients). */
  | { error: 'conflict'; message: string; problems: RefusalProblem[] };

/** One refused field: English words (the API's detail) and a code the console words. */
export type RefusalProblem = Omit<CodedProblem, 'code'> & { code: FieldCode | OverrideProblemCode };

/** A verified e-mail signs in (an alias): two users may not hold the same one. */
const emailTaken: AdminRefusal = { error: 'conflict', path: ['email'], message: 'another user has this e-mail address verified', code: 'email_taken', params: {} };

async function verifiedEmailOwner(ctx: PoolContext, email: string): Promise<string | undefined> {
  const row = await ctx.db.selectFrom('users').select('id').where('email_lower', '=', email.toLowerCase()).where('email_verified', '=', 1).executeTakeFirst();
  return row?.id;
}

const invalid = (path: (string | number)[], message: string, code: FieldCode, params: FieldParams = {}): AdminRefusal => ({ error: 'invalid', problems: [{ path, message, code, params }] });

export async function userRowByName(ctx: PoolContext, username: string): Promise<UserRow | undefined> {
  const q = ctx.db.selectFrom('users').selectAll().where('username_lower', '=', username.toLowerCase());
  return (locksRows(ctx) ? q.forUpdate() : q).executeTakeFirst();
}

export async function userRecordOf(ctx: PoolContext, row: UserRow): Promise<UserRecord> {
  const identities = await ctx.db.selectFrom('user_identities').selectAll().where('user_id', '=', row.id).orderBy('linked_at').orderBy('provider_name').execute();
  return {
    username: row.username,
    sub: row.id,
    ...(row.email !== null ? { email: row.email } : {}),
    email_verified: row.email_verified === 1,
    ...(row.phone_number !== null ? { phone_number: row.phone_number } : {}),
    phone_number_verified: row.phone_number_verified === 1,
    status: row.status,
    enabled: row.enabled === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    groups: await groupsOf(ctx, row.id),
    identities: identities.map((i) => ({ provider: i.provider_name, subject: i.subject, ...(i.issuer !== null ? { issuer: i.issuer } : {}) })),
  };
}

export interface UserQuery {
  /** Starts with (case-insensitive). */
  username?: string;
  /** Starts with (case-insensitive). */
  email?: string;
  phone_number?: string;
  sub?: string;
  /** An attribute's exact value. */
  attribute?: { name: string; value: string };
}

/** By lower-case username; `after`: where the previous page ended. */
export async function searchUsers(ctx: PoolContext, f: UserQuery, o: { after?: string; limit: number }): Promise<Page<UserRecord>> {
  let q = ctx.db.selectFrom('users').selectAll();
  if (f.username) q = q.where(sql<boolean>`username_lower like ${prefixPattern(f.username.toLowerCase())} escape '\\'`);
  if (f.email) q = q.where(sql<boolean>`email_lower like ${prefixPattern(f.email.toLowerCase())} escape '\\'`);
  if (f.phone_number) q = q.where('phone_number', '=', f.phone_number);
  if (f.sub) q = q.where('id', '=', f.sub.toLowerCase());
  if (f.attribute) {
    const postgres = ctx.db.getExecutor().adapter instanceof PostgresAdapter;
    const { name, value } = f.attribute;
    q = q.where(postgres ? sql<boolean>`(attributes::jsonb ->> ${name}) = ${value}` : sql<boolean>`json_extract(attributes, ${`$."${name}"`}) = ${value}`);
  }
  if (o.after !== undefined) q = q.where('username_lower', '>', o.after);
  const rows = await q.orderBy('username_lower').limit(o.limit + 1).execute();
  const page = pageOf(rows, o.limit, (r) => r.username_lower, (r) => r);
  return { ...page, items: await Promise.all(page.items.map((r) => userRecordOf(ctx, r))) };
}

/** What a user record names must exist: its groups, declared attributes, providers. */
async function referenceProblems(ctx: PoolContext, u: Pick<UserSeed, 'groups' | 'attributes' | 'identities'>) {
  const groups = new Set((await ctx.db.selectFrom('groups').select('name').execute()).map((g) => g.name));
  const providers = new Set((await ctx.db.selectFrom('identity_providers').select('name').execute()).map((p) => p.name));
  const custom = new Set((await ctx.settings()).custom_attributes.map((a) => a.name));
  return userReferenceProblems(u, { groups, custom, providers });
}

/** A password problem in English words, the API's detail (the console words its code). */
function passwordDetail(p: PasswordProblem): string {
  switch (p.code) {
    case 'password_too_short':
      return `the password needs at least ${p.min} characters`;
    case 'password_too_long':
      return `the password may have at most ${p.max} characters`;
    case 'password_common':
      return 'this password is too common';
    case 'password_contains_username':
      return 'the password may not contain the username or e-mail address';
  }
}

async function passwordProblem(ctx: PoolContext, password: string, who: { username: string; email?: string | null }) {
  const problem = checkPassword(password, (await ctx.settings()).password_policy, { username: who.username, email: who.email ?? undefined });
  if (!problem) return undefined;
  const { code, ...values } = problem;
  return { code, detail: passwordDetail(problem), params: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, String(v)])) };
}

/**
 * A password's argon2id hash, made before the write's transaction: hashing takes a while, and
 * SQLite's one writer should not wait for it.
 */
export type PreHashed = { password: string; hash: string };
export const preHash = async (password: string | undefined): Promise<PreHashed | undefined> => (password ? { password, hash: await hashPassword(password) } : undefined);
const hashOf = async (password: string, pre: PreHashed | undefined) => (pre?.password === password ? pre.hash : hashPassword(password));

/**
 * A new user from a config-shaped record (`password` is checked against the pool's policy).
 * `invite`: no password (the schema refuses one) and an e-mail address: the user is
 * FORCE_CHANGE_PASSWORD, signs in nowhere, and is mailed a link to choose a password
 * (`publicUrl`: where the link points).
 */
export async function createUser(ctx: PoolContext, u: UserSeed & { invite?: boolean }, pre?: PreHashed, publicUrl?: string): Promise<UserRow | AdminRefusal> {
  if (await userRowByName(ctx, u.username)) return { error: 'conflict', path: ['username'], message: 'a user with this username exists', code: 'username_taken', params: {} };
  if (u.sub && (await ctx.db.selectFrom('users').select('id').where('id', '=', u.sub.toLowerCase()).executeTakeFirst())) {
    return { error: 'conflict', path: ['sub'], message: 'a user with this sub exists', code: 'sub_taken', params: {} };
  }
  const problems = await referenceProblems(ctx, u);
  if (problems.length > 0) return { error: 'invalid', problems };
  if (u.email && u.email_verified && (await verifiedEmailOwner(ctx, u.email))) return emailTaken;
  if (u.password) {
    const problem = await passwordProblem(ctx, u.password, u);
    if (problem) return invalid(['password'], problem.detail, problem.code, problem.params);
  }
  const hash = u.password ? await hashOf(u.password, pre) : null;
  const id = await createSeedUser(ctx.db, u.invite ? { ...u, status: 'FORCE_CHANGE_PASSWORD' } : u, hash, ctx.now());
  const row = await ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  if (u.invite && publicUrl) await issueInvitation(ctx, row, publicUrl);
  return row;
}

/**
 * Mails a new invitation (the earlier link dies). Refused for a user who could not use one: one
 * with a password (or who signs in at an outside provider), or with no address to mail it to.
 */
export async function inviteUser(ctx: PoolContext, row: UserRow, publicUrl: string): Promise<AdminRefusal | undefined> {
  if (row.status === 'EXTERNAL_PROVIDER') return { error: 'conflict', path: ['status'], message: 'the user signs in at an outside provider: no password to set', code: 'no_password', params: {} };
  if (row.password_hash !== null) return { error: 'conflict', path: ['password'], message: 'the user already has a password: an invitation is for a user without one', code: 'has_password', params: {} };
  if (!row.email) return { error: 'conflict', path: ['email'], message: 'the user has no e-mail address to mail an invitation to', code: 'no_invitation_destination', params: {} };
  await issueInvitation(ctx, row, publicUrl);
  return undefined;
}

/** Whether the user waits for an invitation (no password, an address), and until when the latest link works. */
export async function invitationOf(ctx: PoolContext, row: UserRow): Promise<{ pending: boolean; expires_at?: number }> {
  const pending = invitable(row) && row.status === 'FORCE_CHANGE_PASSWORD';
  const expires = pending ? await invitationExpiry(ctx, row.id) : undefined;
  return { pending, ...(expires !== undefined ? { expires_at: expires } : {}) };
}

export interface UserPatch {
  email?: string | null;
  email_verified?: boolean;
  phone_number?: string | null;
  phone_number_verified?: boolean;
  /** Merged into the user's attributes; null removes one. */
  attributes?: Record<string, string | null>;
}

export async function patchUser(ctx: PoolContext, row: UserRow, p: UserPatch): Promise<AdminRefusal | undefined> {
  const attributes = { ...(JSON.parse(row.attributes) as Record<string, string>) };
  for (const [k, v] of Object.entries(p.attributes ?? {})) {
    if (v === null) delete attributes[k];
    else attributes[k] = v;
  }
  const problems = await referenceProblems(ctx, { groups: [], identities: [], attributes });
  if (problems.length > 0) return { error: 'invalid', problems };
  const email = p.email === undefined ? row.email : p.email;
  const emailVerified = p.email_verified ?? (p.email !== undefined && p.email !== row.email ? false : row.email_verified === 1);
  if (email && emailVerified) {
    const owner = await verifiedEmailOwner(ctx, email);
    if (owner && owner !== row.id) return emailTaken;
  }
  const phone = p.phone_number === undefined ? row.phone_number : p.phone_number;
  const phoneVerified = p.phone_number_verified ?? (p.phone_number !== undefined && p.phone_number !== row.phone_number ? false : row.phone_number_verified === 1);
  await ctx.db
    .updateTable('users')
    .set({
      email,
      email_lower: email ? email.toLowerCase() : null,
      email_verified: email && emailVerified ? 1 : 0,
      phone_number: phone,
      phone_number_verified: phone && phoneVerified ? 1 : 0,
      attributes: JSON.stringify(attributes),
      updated_at: ctx.now(),
    })
    .where('id', '=', row.id)
    .execute();
  return undefined;
}

/**
 * An admin sets a password: `permanent`, or temporary (changed at the next sign-in, as Cognito's
 * FORCE_CHANGE_PASSWORD). Either way every sign-in of the user ends: whoever had the old one is out.
 */
export async function setPassword(ctx: PoolContext, row: UserRow, password: string, permanent: boolean, pre?: PreHashed): Promise<AdminRefusal | undefined> {
  const problem = await passwordProblem(ctx, password, row);
  if (problem) return invalid(['password'], problem.detail, problem.code, problem.params);
  const status: UserStatus = permanent ? 'CONFIRMED' : 'FORCE_CHANGE_PASSWORD';
  await ctx.db.updateTable('users').set({ password_hash: await hashOf(password, pre), status, updated_at: ctx.now() }).where('id', '=', row.id).execute();
  await revokeEverything(ctx, row.id);
  return undefined;
}

/**
 * Cognito's AdminResetUserPassword: the password signs in no more (it leads to the reset screen
 * only, see sign-in.ts), every sign-in ends, and an enabled user is mailed a reset code saying an
 * administrator reset it (a disabled one is mailed at the sign-in after being enabled).
 * Refused for whom could not finish it: no password of ours, or no address to mail the code to.
 */
export async function resetUserPassword(ctx: PoolContext, row: UserRow): Promise<AdminRefusal | undefined> {
  if (row.status === 'EXTERNAL_PROVIDER') return { error: 'conflict', path: ['status'], message: 'the user signs in at an outside provider: no password to reset', code: 'no_password', params: {} };
  if (!row.email) return { error: 'conflict', path: ['email'], message: 'the user has no e-mail address to mail a reset code to', code: 'no_reset_destination', params: {} };
  await ctx.db.updateTable('users').set({ status: 'RESET_REQUIRED', updated_at: ctx.now() }).where('id', '=', row.id).execute();
  await revokeEverything(ctx, row.id);
  // The admin's reset is not a user's request: no per-user send quota, and no page whose language
  // to speak: the user's own `locale` (see messages.ts readerLocale), else the default locale (the
  // pool has no language setting of its own).
  if (row.enabled === 1) await mailCode(ctx, { userId: row.id, purpose: 'reset_password', to: row.email, kind: 'adminResetPassword', locale: defaultLocale });
  return undefined;
}

/**
 * Forgets the user's second factors (authenticator app, codes by e-mail or text, recovery codes,
 * remembered devices) and ends their sign-ins. Passkeys stay: they are also a first factor.
 */
export async function resetMfa(ctx: PoolContext, userId: string): Promise<void> {
  await ctx.db.deleteFrom('mfa_factors').where('user_id', '=', userId).execute();
  await ctx.db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await ctx.db.deleteFrom('remembered_devices').where('user_id', '=', userId).execute();
  await ctx.db.updateTable('users').set({ preferred_mfa: null, updated_at: ctx.now() }).where('id', '=', userId).execute();
  await revokeEverything(ctx, userId);
}

/** Ends every sign-in, then removes the user (their factors, groups and identities go with them). */
export async function deleteUser(ctx: PoolContext, userId: string): Promise<void> {
  await revokeEverything(ctx, userId);
  await ctx.db.deleteFrom('users').where('id', '=', userId).execute();
}

export interface FactorSummary {
  kind: 'totp' | 'email' | 'sms' | 'webauthn' | 'recovery_codes';
  /** A passkey's name. */
  name?: string;
  created_at: number;
  last_used_at?: number;
}

/** What the user can prove themselves with beyond a password; no secret, no credential id. */
export async function factorsOf(ctx: PoolContext, userId: string): Promise<FactorSummary[]> {
  const mfa = await ctx.db.selectFrom('mfa_factors').select(['kind', 'created_at']).where('user_id', '=', userId).orderBy('created_at').execute();
  const keys = await ctx.db.selectFrom('webauthn_credentials').select(['name', 'created_at', 'last_used_at']).where('user_id', '=', userId).orderBy('created_at').execute();
  const codes = await ctx.db.selectFrom('recovery_codes').select('created_at').where('user_id', '=', userId).where('used_at', 'is', null).orderBy('created_at').executeTakeFirst();
  return [
    ...mfa.map((f) => ({ kind: f.kind, created_at: Number(f.created_at) })),
    ...keys.map((k) => ({ kind: 'webauthn' as const, name: k.name, created_at: Number(k.created_at), ...(k.last_used_at !== null ? { last_used_at: Number(k.last_used_at) } : {}) })),
    ...(codes ? [{ kind: 'recovery_codes' as const, created_at: Number(codes.created_at) }] : []),
  ];
}

/** The user's live browser sessions: when and into which apps (the session id is a bearer secret, never shown). */
export async function sessionsOf(ctx: PoolContext, userId: string): Promise<{ signed_in_at?: number; clients: string[] }[]> {
  const sessions = await ctx.revocation.sessionsOf(ctx.db, userId);
  return sessions.map((s) => ({ ...(s.loginTs !== undefined ? { signed_in_at: s.loginTs * 1000 } : {}), clients: s.clients }));
}
