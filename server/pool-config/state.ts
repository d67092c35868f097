import type { Kysely } from 'kysely';
import type { UserSeed } from '../config/seed';
import type { Database } from '../db/schema';
import { openProviderConfig } from '../federation/providers';
import { INTERNAL_CLIENT_IDS } from '../pool/account/client';
import { storedCustomText, type CustomTexts } from '../pool/custom-text/store';

/** What the database holds of what a pool config manages, as stored (JSON records parsed). */
export interface StoredState {
  /** Undefined in a database never configured. */
  pool: unknown;
  /** Theme definitions as stored (assets as asset:<sha256>). */
  themes: Map<string, unknown>;
  providers: Map<string, unknown>;
  /** By identifier; the built-in `foyer` is not among them (it is not stored). */
  resourceServers: Map<string, unknown>;
  /** The built-in account client is not among them: a config never manages it. */
  clients: Map<string, unknown>;
  groups: Map<string, { description: string | null; precedence: number | null }>;
  /** Overrides by locale, then key. */
  customText: CustomTexts;
  /** Only about the users a file names: their usernames (lower case), `sub`s and identities. */
  users: {
    usernames: Set<string>;
    subs: Map<string, string>;
    identities: Map<string, string>;
  };
}

/** A database never configured: what `foyer config check` compares with before there is one. */
export function emptyState(): StoredState {
  return { pool: undefined, themes: new Map(), providers: new Map(), resourceServers: new Map(), clients: new Map(), groups: new Map(), customText: {}, users: { usernames: new Set(), subs: new Map(), identities: new Map() } };
}

export const identityKey = (provider: string, subject: string) => `${provider}\n${subject}`;

const CHUNK = 500;
function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

export async function readStoredState(db: Kysely<Database>, users: Pick<UserSeed, 'username' | 'sub' | 'identities'>[]): Promise<StoredState> {
  const pool = await db.selectFrom('settings').select('value').where('name', '=', 'pool').executeTakeFirst();
  const themes = await db.selectFrom('themes').select(['id', 'definition']).orderBy('created_at').orderBy('id').execute();
  const providers = await db.selectFrom('identity_providers').select(['name', 'config']).orderBy('created_at').orderBy('name').execute();
  const resourceServers = await db.selectFrom('resource_servers').select(['identifier', 'definition']).orderBy('created_at').orderBy('identifier').execute();
  const clients = await db.selectFrom('clients').select(['client_id', 'metadata']).where('client_id', 'not in', INTERNAL_CLIENT_IDS).orderBy('created_at').orderBy('client_id').execute();
  const groups = await db.selectFrom('groups').select(['name', 'description', 'precedence']).orderBy('name').execute();
  return {
    pool: pool ? JSON.parse(pool.value) : undefined,
    themes: new Map(themes.map((t) => [t.id, JSON.parse(t.definition)])),
    providers: new Map(providers.map((p) => [p.name, openProviderConfig(p.name, p.config)])),
    resourceServers: new Map(resourceServers.map((r) => [r.identifier, JSON.parse(r.definition)])),
    clients: new Map(clients.map((c) => [c.client_id, JSON.parse(c.metadata)])),
    groups: new Map(groups.map((g) => [g.name, { description: g.description, precedence: g.precedence }])),
    customText: await storedCustomText(db),
    users: await storedUsers(db, users),
  };
}

/** Looks up only the named users, so a start with a large pool does not read every user. */
export async function storedUsers(db: Kysely<Database>, users: Pick<UserSeed, 'username' | 'sub' | 'identities'>[]): Promise<StoredState['users']> {
  const usernames = new Set<string>();
  const subs = new Map<string, string>();
  const identities = new Map<string, string>();
  for (const part of chunks(users.map((u) => u.username.toLowerCase()))) {
    const rows = await db.selectFrom('users').select('username_lower').where('username_lower', 'in', part).execute();
    for (const r of rows) usernames.add(r.username_lower);
  }
  for (const part of chunks(users.flatMap((u) => (u.sub ? [u.sub.toLowerCase()] : [])))) {
    const rows = await db.selectFrom('users').select(['id', 'username']).where('id', 'in', part).execute();
    for (const r of rows) subs.set(r.id, r.username);
  }
  for (const part of chunks(users.flatMap((u) => u.identities))) {
    const rows = await db
      .selectFrom('user_identities')
      .innerJoin('users', 'users.id', 'user_identities.user_id')
      .select(['user_identities.provider_name', 'user_identities.subject', 'users.username'])
      .where((eb) => eb.or(part.map((id) => eb.and([eb('user_identities.provider_name', '=', id.provider), eb('user_identities.subject', '=', id.subject)]))))
      .execute();
    for (const r of rows) identities.set(identityKey(r.provider_name, r.subject), r.username);
  }
  return { usernames, subs, identities };
}
