import type { Selectable } from 'kysely';
import type { WebauthnCredentialsTable } from '../../db/schema';
import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';

export type CredentialRow = Selectable<WebauthnCredentialsTable>;

/** A registered passkey or security key, as the account page shows it. */
export interface Passkey {
  /** The credential ID (base64url). */
  id: string;
  name: string;
  /** singleDevice: bound to one authenticator (a security key); multiDevice: a synced passkey. */
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  transports: string[];
  aaguid: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export function toPasskey(row: CredentialRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    deviceType: row.device_type,
    backedUp: row.backed_up === 1,
    transports: JSON.parse(row.transports) as string[],
    aaguid: row.aaguid,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export async function credentialRows(ctx: PoolContext, userId: string): Promise<CredentialRow[]> {
  return ctx.db.selectFrom('webauthn_credentials').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}

export async function findCredential(ctx: PoolContext, id: string): Promise<CredentialRow | undefined> {
  return ctx.db.selectFrom('webauthn_credentials').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function hasPasskey(ctx: PoolContext, userId: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('webauthn_credentials').select('id').where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}

/** False when the credential is already registered (to anyone). */
export async function insertCredential(ctx: PoolContext, row: CredentialRow): Promise<boolean> {
  const r = await ctx.db.insertInto('webauthn_credentials').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
  return r !== undefined;
}

/**
 * Records a use. The update only applies while the stored counter is the one the assertion was
 * checked against, so two uses of one signature counter cannot both be accepted.
 */
export async function recordUse(ctx: PoolContext, row: CredentialRow, use: { counter: number; backedUp: boolean }): Promise<boolean> {
  const r = await ctx.db
    .updateTable('webauthn_credentials')
    .set({ counter: use.counter, backed_up: use.backedUp ? 1 : 0, last_used_at: ctx.now() })
    .where('id', '=', row.id)
    .where('counter', '=', row.counter)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Only the owner may rename a passkey; anyone else's ID is "not found", like an unknown one. */
export async function renameCredential(ctx: PoolContext, userId: string, id: string, name: string): Promise<Passkey | PoolError> {
  const r = await ctx.db.updateTable('webauthn_credentials').set({ name }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) return fail('passkey_not_found');
  const row = await findCredential(ctx, id);
  return row ? toPasskey(row) : fail('passkey_not_found');
}

export async function deleteCredential(ctx: PoolContext, userId: string, id: string): Promise<CredentialRow | PoolError> {
  const row = await findCredential(ctx, id);
  if (!row || row.user_id !== userId) return fail('passkey_not_found');
  const r = await ctx.db.deleteFrom('webauthn_credentials').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1 ? row : fail('passkey_not_found');
}
