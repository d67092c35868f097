import type { Kysely } from 'kysely';
import { clientSeedSchema, poolSettingsSchema, type SeedSection } from '../config/seed';
import { identityProviderSchema } from '../config/identity-providers';
import { resourceServerSchema } from '../config/resource-servers';
import { REDACTED } from '../config/redacted';
import type { Database } from '../db/schema';
import { themeInput } from '../../themes/schema';
import { portableTheme } from '../pool/themes/portable';
import { normalized } from './plan';
import { readStoredState } from './state';

type Json = Record<string, unknown>;

function redact(record: Json, fields: string[], include: boolean): Json {
  if (include) return record;
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fields.includes(k) && typeof v === 'string' ? REDACTED : v]));
}

/** Drops null and undefined fields: the seed format writes an absent field rather than null. */
function compact(record: Json): Json {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * The pool as a pool config (the seed format): settings, providers, clients (not the built-in
 * account client), groups, and users with their attributes, groups, status, password hashes and
 * linked identities. Provider secrets are the placeholder unless `includeSecrets`; client secrets
 * always are (only their hashes are stored).
 */
export async function exportPoolConfig(db: Kysely<Database>, opts: { includeSecrets: boolean }): Promise<Record<SeedSection, unknown>> {
  const stored = await readStoredState(db, []);
  const users = await db.selectFrom('users').selectAll().orderBy('username_lower').execute();
  const memberships = await db.selectFrom('user_groups').select(['user_id', 'group_name']).orderBy('group_name').execute();
  const identities = await db.selectFrom('user_identities').selectAll().orderBy('linked_at').orderBy('provider_name').execute();
  const byUser = <T extends { user_id: string }>(rows: T[]) => {
    const map = new Map<string, T[]>();
    for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r]);
    return map;
  };
  const groupsOf = byUser(memberships);
  const identitiesOf = byUser(identities);
  return {
    pool: poolSettingsSchema.parse(stored.pool ?? {}),
    // Assets as data: URLs, so the export applies to an empty database too.
    // (A row edited by hand into something else is written as it is: the command warns it will not apply.)
    themes: await Promise.all(
      [...stored.themes.values()].map((t) => {
        const parsed = themeInput.safeParse(t);
        return parsed.success ? portableTheme(db, parsed.data) : t;
      }),
    ),
    identity_providers: [...stored.providers.values()].map((p) => redact(normalized(identityProviderSchema, p) as Json, ['client_secret', 'private_key'], opts.includeSecrets)),
    // The built-in `foyer` is not stored, so never exported (a config may not name it).
    resource_servers: [...stored.resourceServers.values()].map((r) => normalized(resourceServerSchema, r)),
    // Only a hash of a client secret is stored: it is never exported, even with secrets.
    clients: [...stored.clients.values()].map((c) => redact(normalized(clientSeedSchema, c) as Json, ['client_secret'], false)),
    groups: [...stored.groups].map(([name, g]) => compact({ name, ...g })),
    custom_text: stored.customText,
    users: users.map((u) =>
      compact({
        username: u.username,
        sub: u.id,
        email: u.email,
        email_verified: u.email_verified === 1,
        phone_number: u.phone_number,
        phone_number_verified: u.phone_number_verified === 1,
        password_hash: u.password_hash,
        status: u.status,
        enabled: u.enabled === 1,
        attributes: JSON.parse(u.attributes),
        groups: (groupsOf.get(u.id) ?? []).map((m) => m.group_name),
        identities: (identitiesOf.get(u.id) ?? []).map((i) => compact({ provider: i.provider_name, subject: i.subject, issuer: i.issuer })),
      }),
    ),
  };
}
