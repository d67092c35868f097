import type { Kysely } from 'kysely';
import type { UserSeed } from '../config/seed';
import type { Database } from '../db/schema';
import { insertUser } from './users';

/** A user of a pool config or an import: the record, its groups and its linked identities. */
export async function createSeedUser(db: Kysely<Database>, u: UserSeed, passwordHash: string | null, now: number): Promise<string> {
  const id = await insertUser(
    { db, now: () => now },
    {
      id: u.sub?.toLowerCase(),
      username: u.username,
      email: u.email,
      emailVerified: u.email_verified,
      phoneNumber: u.phone_number,
      phoneNumberVerified: u.phone_number_verified,
      passwordHash: passwordHash ?? u.password_hash ?? null,
      status: u.status,
      enabled: u.enabled,
      attributes: u.attributes,
    },
  );
  for (const g of u.groups) await db.insertInto('user_groups').values({ user_id: id, group_name: g }).execute();
  if (u.identities.length > 0) {
    const providers = await db.selectFrom('identity_providers').select(['name', 'type']).where('name', 'in', u.identities.map((i) => i.provider)).execute();
    const types = new Map(providers.map((p) => [p.name, p.type]));
    for (const identity of u.identities) {
      const type = types.get(identity.provider);
      if (!type) throw new Error(`user "${u.username}": identity provider "${identity.provider}" does not exist`);
      await db
        .insertInto('user_identities')
        .values({
          provider_name: identity.provider,
          subject: identity.subject,
          user_id: id,
          provider_type: type,
          issuer: identity.issuer ?? null,
          linked_at: now,
          last_sign_in_at: null,
        })
        .execute();
    }
  }
  return id;
}
