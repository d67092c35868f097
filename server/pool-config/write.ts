import type { Kysely } from 'kysely';
import type { UserSeed } from '../config/seed';
import type { Database } from '../db/schema';
import { saveProvider } from '../federation/providers';
import { saveClient } from '../pool/clients';
import { removeResourceServers, saveResourceServer } from '../pool/resource-servers';
import { hashPassword } from '../pool/passwords/hash';
import { writeSettings } from '../pool/settings';
import { createSeedUser } from '../pool/seed-user';
import type { GroupSeed, Plan } from './plan';

export { createSeedUser };
import { bumpThemesVersion, removeThemes, saveAssets, saveTheme } from '../pool/themes/store';
import { writeCustomText } from '../pool/custom-text/store';

/** Hashes for the users about to be created (by lower-case username); made before the lock is taken. */
export type PasswordHashes = Map<string, string>;

export async function hashSeedPasswords(users: UserSeed[], done: PasswordHashes = new Map()): Promise<PasswordHashes> {
  const out = new Map(done);
  for (const u of users) {
    const key = u.username.toLowerCase();
    if (u.password && !out.has(key)) out.set(key, await hashPassword(u.password));
  }
  return out;
}

export async function saveGroup(db: Kysely<Database>, g: GroupSeed, now: number): Promise<void> {
  const values = { description: g.description ?? null, precedence: g.precedence ?? null };
  await db
    .insertInto('groups')
    .values({ name: g.name, created_at: now, ...values })
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .execute();
}

/** Writes a plan inside the caller's transaction; `hashes` has the passwords of users to create. */
export async function writePlan(db: Kysely<Database>, plan: Plan, hashes: PasswordHashes, now: number): Promise<void> {
  const { writes } = plan;
  await saveAssets(db, writes.themeAssets, now);
  for (const t of writes.themes) await saveTheme(db, t, now);
  await removeThemes(db, writes.remove.themes);
  if (writes.themes.length + writes.remove.themes.length > 0) await bumpThemesVersion(db, now);
  if (writes.pool) await writeSettings(db, writes.pool, now);
  for (const p of writes.providers) await saveProvider(db, p, now);
  if (writes.remove.providers.length > 0) await db.deleteFrom('identity_providers').where('name', 'in', writes.remove.providers).execute();
  for (const r of writes.resourceServers) await saveResourceServer(db, r, now);
  await removeResourceServers(db, writes.remove.resourceServers);
  for (const c of writes.clients) await saveClient(db, c, now);
  if (writes.remove.clients.length > 0) await db.deleteFrom('clients').where('client_id', 'in', writes.remove.clients).execute();
  for (const g of writes.groups) await saveGroup(db, g, now);
  if (writes.remove.groups.length > 0) {
    await db.deleteFrom('user_groups').where('group_name', 'in', writes.remove.groups).execute();
    await db.deleteFrom('groups').where('name', 'in', writes.remove.groups).execute();
  }
  if (writes.customText.length + writes.remove.customText.length > 0) await writeCustomText(db, { save: writes.customText, remove: writes.remove.customText }, now);
  const missing = await hashSeedPasswords(writes.users, hashes);
  for (const u of writes.users) await createSeedUser(db, u, missing.get(u.username.toLowerCase()) ?? null, now);
}
