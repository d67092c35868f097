import type { Kysely } from 'kysely';
import {
  FOYER_RESOURCE_SERVER,
  customScopesOf,
  resourceServerSchema,
  splitCustomScope,
  type ResourceServer,
} from '../config/resource-servers';
import type { Database } from '../db/schema';

export type { ResourceServer } from '../config/resource-servers';

/** A stored definition, as the current schema reads it (one that no longer parses is skipped, not fatal). */
function parse(definition: string): ResourceServer | undefined {
  const parsed = resourceServerSchema.safeParse(JSON.parse(definition));
  return parsed.success ? parsed.data : undefined;
}

/** Every resource server: the built-in `foyer` first, then the stored ones. */
export async function listResourceServers(db: Kysely<Database>): Promise<ResourceServer[]> {
  const rows = await db.selectFrom('resource_servers').select('definition').orderBy('created_at').orderBy('identifier').execute();
  return [FOYER_RESOURCE_SERVER, ...rows.flatMap((r) => parse(r.definition) ?? [])];
}

export async function findResourceServer(db: Kysely<Database>, identifier: string): Promise<ResourceServer | undefined> {
  if (identifier === FOYER_RESOURCE_SERVER.identifier) return FOYER_RESOURCE_SERVER;
  const row = await db.selectFrom('resource_servers').select('definition').where('identifier', '=', identifier).executeTakeFirst();
  return row ? parse(row.definition) : undefined;
}

/** Creates or replaces one (never the built-in `foyer`, which is not stored). */
export async function saveResourceServer(db: Kysely<Database>, rs: ResourceServer, now: number): Promise<void> {
  if (rs.identifier === FOYER_RESOURCE_SERVER.identifier) throw new Error('foyer is the built-in resource server and cannot be redefined');
  const values = { definition: JSON.stringify(resourceServerSchema.parse(rs)), updated_at: now };
  await db
    .insertInto('resource_servers')
    .values({ identifier: rs.identifier, created_at: now, ...values })
    .onConflict((oc) => oc.column('identifier').doUpdateSet(values))
    .execute();
}

export async function removeResourceServers(db: Kysely<Database>, identifiers: string[]): Promise<void> {
  if (identifiers.length > 0) await db.deleteFrom('resource_servers').where('identifier', 'in', identifiers).execute();
}

/**
 * A client's custom scopes grouped by the resource server they belong to, from its allowed
 * `scope`; scopes naming no (or no longer any) resource server's scope are left out.
 */
export function customScopesByServer(servers: ResourceServer[], scopes: string[]): Map<string, string[]> {
  const known = new Map(servers.map((rs) => [rs.identifier, new Set(customScopesOf(rs))]));
  const out = new Map<string, string[]>();
  for (const scope of scopes) {
    const split = splitCustomScope(scope);
    if (!split || !known.get(split.identifier)?.has(scope)) continue;
    out.set(split.identifier, [...(out.get(split.identifier) ?? []), scope]);
  }
  return out;
}
