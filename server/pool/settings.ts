import type { Kysely } from 'kysely';
import { poolSettingsSchema, type PoolSettings } from '../config/seed';
import type { Database } from '../db/schema';

const CACHE_MS = 1_000;

/** Pool settings live in the database; a short cache keeps them off the hot path. */
export function settingsReader(db: Kysely<Database>): { read: () => Promise<PoolSettings>; forget: () => void } {
  let cached: { at: number; value: Promise<PoolSettings> } | undefined;
  const load = async () => {
    const row = await db.selectFrom('settings').select('value').where('name', '=', 'pool').executeTakeFirst();
    return poolSettingsSchema.parse(row ? JSON.parse(row.value) : {});
  };
  return {
    read() {
      if (!cached || Date.now() - cached.at > CACHE_MS) {
        cached = { at: Date.now(), value: load() };
        cached.value.catch(() => (cached = undefined));
      }
      return cached.value;
    },
    forget() {
      cached = undefined;
    },
  };
}

export async function writeSettings(db: Kysely<Database>, settings: PoolSettings, now: number): Promise<void> {
  const values = { value: JSON.stringify(settings), updated_at: now };
  await db
    .insertInto('settings')
    .values({ name: 'pool', ...values })
    .onConflict((oc) => oc.column('name').doUpdateSet(values))
    .execute();
}
