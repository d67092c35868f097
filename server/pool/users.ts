import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { UserStatus, UsersTable } from '../db/schema';
import type { PoolContext } from './context';

export type UserRow = Selectable<UsersTable>;

export interface User {
  id: string;
  username: string;
  email: string | null;
  emailVerified: boolean;
  phoneNumber: string | null;
  phoneNumberVerified: boolean;
  status: UserStatus;
  enabled: boolean;
  attributes: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    emailVerified: row.email_verified === 1,
    phoneNumber: row.phone_number,
    phoneNumberVerified: row.phone_number_verified === 1,
    status: row.status,
    enabled: row.enabled === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function getUserRow(ctx: PoolContext, id: string): Promise<UserRow | undefined> {
  return ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Resolves what a person typed at sign-in against the aliases the pool allows. */
export async function findUserRowByAlias(ctx: PoolContext, identifier: string): Promise<UserRow | undefined> {
  const aliases = (await ctx.settings()).sign_in_aliases;
  const lowered = identifier.toLowerCase();
  if (aliases.includes('email') && identifier.includes('@')) {
    // Only a verified e-mail is a sign-in alias, as in Cognito; the newest claim wins.
    const row = await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('email_lower', '=', lowered)
      .where('email_verified', '=', 1)
      .orderBy('updated_at', 'desc')
      .executeTakeFirst();
    if (row) return row;
  }
  if (aliases.includes('phone_number') && /^\+[0-9]+$/.test(identifier)) {
    const row = await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('phone_number', '=', identifier)
      .where('phone_number_verified', '=', 1)
      .executeTakeFirst();
    if (row) return row;
  }
  return ctx.db.selectFrom('users').selectAll().where('username_lower', '=', lowered).executeTakeFirst();
}

export async function usernameTaken(ctx: PoolContext, username: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('users').select('id').where('username_lower', '=', username.toLowerCase()).executeTakeFirst();
  return row !== undefined;
}

/** A verified e-mail is an identity; unverified copies do not block anyone. */
export async function verifiedEmailTaken(ctx: PoolContext, email: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('email_lower', '=', email.toLowerCase())
    .where('email_verified', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewUser {
  /** The `sub`: kept when a user moves from another pool; a new UUID otherwise. */
  id?: string;
  username: string;
  email?: string | null;
  emailVerified?: boolean;
  phoneNumber?: string | null;
  phoneNumberVerified?: boolean;
  passwordHash: string | null;
  status: UserStatus;
  attributes?: Record<string, string>;
  enabled?: boolean;
  /** The terms version accepted at sign-up, and when. */
  terms?: { version: string; acceptedAt: number };
}

export async function insertUser(ctx: Pick<PoolContext, 'db' | 'now'>, u: NewUser): Promise<string> {
  const id = u.id ?? randomUUID();
  const now = ctx.now();
  await ctx.db
    .insertInto('users')
    .values({
      id,
      username: u.username,
      username_lower: u.username.toLowerCase(),
      email: u.email ?? null,
      email_lower: u.email ? u.email.toLowerCase() : null,
      email_verified: u.emailVerified ? 1 : 0,
      phone_number: u.phoneNumber ?? null,
      phone_number_verified: u.phoneNumberVerified ? 1 : 0,
      status: u.status,
      enabled: u.enabled === false ? 0 : 1,
      password_hash: u.passwordHash,
      attributes: JSON.stringify(u.attributes ?? {}),
      preferred_mfa: null,
      terms_version: u.terms?.version ?? null,
      terms_accepted_at: u.terms?.acceptedAt ?? null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export async function updateUser(
  ctx: PoolContext,
  id: string,
  patch: Partial<Pick<UserRow, 'status' | 'password_hash' | 'email_verified' | 'enabled' | 'phone_number' | 'phone_number_verified' | 'preferred_mfa'>>,
): Promise<void> {
  await ctx.db.updateTable('users').set({ ...patch, updated_at: ctx.now() }).where('id', '=', id).execute();
}

export async function groupsOf(ctx: PoolContext, userId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('user_groups')
    .innerJoin('groups', 'groups.name', 'user_groups.group_name')
    .select(['groups.name', 'groups.precedence'])
    .where('user_groups.user_id', '=', userId)
    .execute();
  // Cognito lists groups by precedence, lowest first.
  return rows
    .sort((a, b) => (a.precedence ?? 1e9) - (b.precedence ?? 1e9) || a.name.localeCompare(b.name))
    .map((r) => r.name);
}
