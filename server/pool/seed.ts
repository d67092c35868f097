import type { Kysely } from 'kysely';
import type { Seed } from '../config/seed';
import type { Database } from '../db/schema';
import { saveClient } from './clients';
import { saveProvider } from '../federation/providers';
import { hashPassword } from './passwords/hash';
import { writeSettings } from './settings';
import { insertUser } from './users';

/** Applies the pool config to an empty database only, in one transaction: all or nothing. */
export async function applySeedIfEmpty(db: Kysely<Database>, seed: Seed, now = Date.now()): Promise<boolean> {
  const existing = await db.selectFrom('settings').select('name').where('name', '=', 'pool').executeTakeFirst();
  if (existing) return false;
  const hashes = await Promise.all(seed.users.map((u) => (u.password ? hashPassword(u.password) : null)));
  await db.transaction().execute(async (tx) => {
    await writeSettings(tx, seed.pool, now);
    for (const p of seed.identity_providers) await saveProvider(tx, p, now);
    for (const c of seed.clients) await saveClient(tx, c, now);
    for (const g of seed.groups) {
      await tx.insertInto('groups').values({ name: g.name, description: g.description ?? null, precedence: g.precedence ?? null, created_at: now }).execute();
    }
    const ctx = { db: tx, now: () => now };
    for (const [i, u] of seed.users.entries()) {
      const id = await insertUser(ctx, {
        username: u.username,
        email: u.email,
        emailVerified: u.email_verified,
        phoneNumber: u.phone_number,
        phoneNumberVerified: u.phone_number_verified,
        passwordHash: hashes[i],
        status: u.status,
        attributes: u.attributes,
      });
      for (const g of u.groups) await tx.insertInto('user_groups').values({ user_id: id, group_name: g }).execute();
    }
  });
  return true;
}
