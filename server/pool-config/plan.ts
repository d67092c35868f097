import { clientSeedSchema, poolSettingsSchema, scopeWords, type ClientSeed, type PoolConfig, type PoolSettings, type Seed, type SeedSection, type UserSeed } from '../config/seed';
import { identityProviderSchema, type IdentityProviderConfig } from '../config/identity-providers';
import { FOYER_RESOURCE_SERVER, customScopesOf, resourceServerSchema, splitCustomScope, type ResourceServer } from '../config/resource-servers';
import { REDACTED } from '../config/redacted';
import { identityKey, type StoredState } from './state';
import type { ThemeInput } from '../../themes/schema';
import type { CheckedAsset } from '../pool/themes/assets';
import type { PreparedTheme } from '../pool/themes/prepare';
import { builtInThemes } from '../pool/themes/resolve';
import { overrideProblems } from '../pool/custom-text/validate';

/** One field that differs: values as they will be shown (secrets and long values hidden). */
export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/**
 * What applying a pool config does to one entry. `remove`: the entry is in a section the file
 * has but is not named there; it is removed only when pruning (`applied`), otherwise left alone.
 */
export type Change =
  | { section: SeedSection; name: string; action: 'create' }
  | { section: SeedSection; name: string; action: 'update'; fields: FieldChange[] }
  | { section: SeedSection; name: string; action: 'remove'; applied: boolean };

export type GroupSeed = Seed['groups'][number];

export interface Plan {
  changes: Change[];
  /** Entries the file names that already match (users: that already exist, left as they are). */
  unchanged: Record<SeedSection, number>;
  /** The records to write, secrets resolved; internal, never printed. */
  writes: {
    pool?: PoolSettings;
    themes: ThemeInput[];
    /** Images and fonts of the themes written (stored once by hash). */
    themeAssets: CheckedAsset[];
    providers: IdentityProviderConfig[];
    resourceServers: ResourceServer[];
    clients: ClientSeed[];
    groups: GroupSeed[];
    users: UserSeed[];
    customText: { locale: string; key: string; text: string }[];
    remove: { themes: string[]; providers: string[]; resourceServers: string[]; clients: string[]; groups: string[]; customText: { locale: string; key: string }[] };
  };
}

/** A pool config that cannot be applied to this database; names the field like parseSeed. */
export class PoolConfigError extends Error {
  constructor(source: string, path: (string | number)[], message: string) {
    super(`Invalid pool config (${source}): field "${path.join('.')}": ${message}`);
    this.name = 'PoolConfigError';
  }
}

const SECRET_FIELDS = new Set(['client_secret', 'private_key', 'password', 'password_hash']);
const LONGEST_SHOWN = 200;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with sorted keys, so that key order never counts as a change. */
function canonical(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isRecord(v)) {
    return `{${Object.keys(v).filter((k) => v[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Dotted paths of the leaves that differ (objects are compared key by key, arrays whole). */
export function changedFields(before: unknown, after: unknown, prefix = ''): string[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedFields(before[k], after[k], prefix ? `${prefix}.${k}` : k));
  }
  return canonical(before) === canonical(after) ? [] : [prefix];
}

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (isRecord(v) ? v[k] : undefined), value);
}

function shown(field: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (SECRET_FIELDS.has(field.split('.').pop() ?? '')) return '[redacted]';
  const json = JSON.stringify(value);
  return json.length > LONGEST_SHOWN ? `[${json.length} characters]` : value;
}

function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  return changedFields(before, after).map((field) => ({ field, from: shown(field, at(before, field)), to: shown(field, at(after, field)) }));
}

/** A stored record as the current schema reads it (defaults filled), or as it is if it no longer parses. */
export function normalized(schema: { safeParse(v: unknown): { success: true; data: unknown } | { success: false } }, stored: unknown): unknown {
  const parsed = schema.safeParse(stored);
  return parsed.success ? parsed.data : stored;
}

/**
 * The export's placeholder for a secret keeps the stored one; without a stored one the file
 * cannot be applied.
 */
function withStoredSecrets<T extends Record<string, unknown>>(wanted: T, stored: unknown, fields: string[], where: { source: string; path: (string | number)[]; what: string }): T {
  const out: Record<string, unknown> = { ...wanted };
  for (const field of fields) {
    if (out[field] !== REDACTED) continue;
    const kept = isRecord(stored) ? stored[field] : undefined;
    if (typeof kept !== 'string' || kept === REDACTED) {
      throw new PoolConfigError(where.source, [...where.path, field], `is the export's placeholder, and ${where.what} has no stored secret to keep: give the secret, or export with --include-secrets`);
    }
    out[field] = kept;
  }
  return out as T;
}

interface Named<T> {
  name: string;
  wanted: T;
  path: (string | number)[];
}

/**
 * Creates or updates the named entries of one section; with `section` named by the file, the
 * stored entries it does not name are listed for removal (removed when pruning).
 */
function planSection<T>(
  plan: Plan,
  section: SeedSection,
  entries: Named<T>[],
  stored: Map<string, unknown>,
  opts: { managed: boolean; prune: boolean; compare: (stored: unknown) => unknown; resolve?: (e: Named<T>, stored: unknown) => T },
): { writes: T[]; removes: string[] } {
  const writes: T[] = [];
  const removes: string[] = [];
  for (const entry of entries) {
    const before = stored.get(entry.name);
    const wanted = opts.resolve ? opts.resolve(entry, before) : entry.wanted;
    if (before === undefined) {
      plan.changes.push({ section, name: entry.name, action: 'create' });
      writes.push(wanted);
      continue;
    }
    const fields = fieldChanges(opts.compare(before), wanted);
    if (fields.length === 0) {
      plan.unchanged[section]++;
      continue;
    }
    plan.changes.push({ section, name: entry.name, action: 'update', fields });
    writes.push(wanted);
  }
  if (opts.managed) {
    const named = new Set(entries.map((e) => e.name));
    for (const name of stored.keys()) {
      if (named.has(name)) continue;
      plan.changes.push({ section, name, action: 'remove', applied: opts.prune });
      if (opts.prune) removes.push(name);
    }
  }
  return { writes, removes };
}

/**
 * What applying `config` to `stored` changes: the pool settings, providers, clients and groups it
 * names become what it says; its users are created when no user has their username (existing
 * users are left alone); with `prune`, entries of a section the file has but does not name are
 * removed (never users, never the built-in account client).
 */
export function planConfig(stored: StoredState, config: PoolConfig, opts: { prune: boolean; themes: PreparedTheme[] }): Plan {
  const { seed, sections, source } = config;
  const plan: Plan = {
    changes: [],
    unchanged: { pool: 0, themes: 0, identity_providers: 0, resource_servers: 0, clients: 0, groups: 0, users: 0, custom_text: 0 },
    writes: { themes: [], themeAssets: [], providers: [], resourceServers: [], clients: [], groups: [], users: [], customText: [], remove: { themes: [], providers: [], resourceServers: [], clients: [], groups: [], customText: [] } },
  };
  const managed = (s: SeedSection) => sections.has(s);

  // Themes come checked (assets read, CSS and contrast checked: see prepareConfigThemes).
  const themes = planSection(plan, 'themes', opts.themes.map((t, i) => ({ name: t.definition.id, wanted: t.definition, path: ['themes', i] })), stored.themes, {
    managed: managed('themes'),
    prune: opts.prune,
    compare: (s) => s,
  });
  plan.writes.themes = themes.writes;
  plan.writes.themeAssets = opts.themes.filter((t) => themes.writes.includes(t.definition)).flatMap((t) => t.assets);
  plan.writes.remove.themes = themes.removes;
  // What pool.theme and clients[].theme may name once this plan is written.
  const themeIds = new Set([...Object.keys(builtInThemes), ...[...stored.themes.keys()].filter((id) => !themes.removes.includes(id)), ...opts.themes.map((t) => t.definition.id)]);
  const checkTheme = (id: string | undefined, path: (string | number)[]) => {
    if (id !== undefined && !themeIds.has(id)) throw new PoolConfigError(source, path, `theme "${id}" does not exist (not in "themes", not stored, not built in)`);
  };
  if (managed('pool')) checkTheme(seed.pool.theme, ['pool', 'theme']);
  seed.clients.forEach((c, i) => checkTheme(c.theme, ['clients', i, 'theme']));

  if (managed('pool')) {
    const pool = planSection(plan, 'pool', [{ name: 'pool', wanted: seed.pool, path: ['pool'] }], new Map(stored.pool === undefined ? [] : [['pool', stored.pool]]), {
      managed: false,
      prune: false,
      compare: (s) => normalized(poolSettingsSchema, s),
    });
    plan.writes.pool = pool.writes[0];
  }

  const providers = planSection(plan, 'identity_providers', seed.identity_providers.map((p, i) => ({ name: p.name, wanted: p, path: ['identity_providers', i] })), stored.providers, {
    managed: managed('identity_providers'),
    prune: opts.prune,
    compare: (s) => normalized(identityProviderSchema, s),
    resolve: (e, s) => withStoredSecrets(e.wanted, s, ['client_secret', 'private_key'], { source, path: e.path, what: `provider "${e.name}"` }),
  });
  plan.writes.providers = providers.writes;
  plan.writes.remove.providers = providers.removes;

  const servers = planSection(plan, 'resource_servers', seed.resource_servers.map((r, i) => ({ name: r.identifier, wanted: r, path: ['resource_servers', i] })), stored.resourceServers, {
    managed: managed('resource_servers'),
    prune: opts.prune,
    compare: (s) => normalized(resourceServerSchema, s),
  });
  plan.writes.resourceServers = servers.writes;
  plan.writes.remove.resourceServers = servers.removes;
  checkCustomScopes(stored, config, servers.removes);

  const clients = planSection(plan, 'clients', seed.clients.map((c, i) => ({ name: c.client_id, wanted: c, path: ['clients', i] })), stored.clients, {
    managed: managed('clients'),
    prune: opts.prune,
    compare: (s) => normalized(clientSeedSchema, s),
    resolve: (e, s) => withStoredSecrets(e.wanted, s, ['client_secret'], { source, path: e.path, what: `client "${e.name}"` }),
  });
  plan.writes.clients = clients.writes;
  plan.writes.remove.clients = clients.removes;

  const groups = planSection(
    plan,
    'groups',
    seed.groups.map((g, i) => ({ name: g.name, wanted: { name: g.name, description: g.description ?? null, precedence: g.precedence ?? null }, path: ['groups', i] })),
    new Map([...stored.groups].map(([name, g]) => [name, { name, ...g }])),
    { managed: managed('groups'), prune: opts.prune, compare: (s) => s },
  );
  plan.writes.groups = groups.writes.map((g) => ({ name: g.name, description: g.description ?? undefined, precedence: g.precedence ?? undefined }));
  plan.writes.remove.groups = groups.removes;

  // One entry per override, named `<locale>/<key>`: pruning removes those the file does not name.
  const flat = (texts: Record<string, Record<string, string>>) => Object.entries(texts).flatMap(([locale, m]) => Object.entries(m).map(([key, text]) => ({ locale, key, text })));
  for (const o of flat(seed.custom_text)) {
    const [problem] = overrideProblems(o.locale, o.key, o.text);
    if (problem) throw new PoolConfigError(source, problem.code === 'unknown_locale' ? ['custom_text', o.locale] : ['custom_text', o.locale, o.key], problem.message);
  }
  const customText = planSection(plan, 'custom_text', flat(seed.custom_text).map((o) => ({ name: `${o.locale}/${o.key}`, wanted: o, path: ['custom_text', o.locale, o.key] })), new Map(flat(stored.customText).map((o) => [`${o.locale}/${o.key}`, o])), {
    managed: managed('custom_text'),
    prune: opts.prune,
    compare: (s) => s,
  });
  plan.writes.customText = customText.writes;
  plan.writes.remove.customText = customText.removes.map((name) => {
    const at = name.indexOf('/');
    return { locale: name.slice(0, at), key: name.slice(at + 1) };
  });

  seed.users.forEach((u, i) => {
    if (stored.users.usernames.has(u.username.toLowerCase())) {
      plan.unchanged.users++;
      return;
    }
    const owner = u.sub && stored.users.subs.get(u.sub.toLowerCase());
    if (owner) throw new PoolConfigError(source, ['users', i, 'sub'], `is already the sub of user "${owner}"`);
    u.identities.forEach((id, j) => {
      const linked = stored.users.identities.get(identityKey(id.provider, id.subject));
      if (linked) throw new PoolConfigError(source, ['users', i, 'identities', j], `is already linked to user "${linked}"`);
    });
    plan.changes.push({ section: 'users', name: u.username, action: 'create' });
    plan.writes.users.push(u);
  });
  return plan;
}

/**
 * Custom scopes a client names must be scopes of a resource server (built in, stored and kept, or
 * in the file), and the clients a resource server lets introspect must exist (stored and kept, or
 * in the file) and be confidential.
 */
function checkCustomScopes(stored: StoredState, config: PoolConfig, removedServers: string[]): void {
  const { seed, source } = config;
  const kept = [...stored.resourceServers].filter(([id]) => !removedServers.includes(id) && !seed.resource_servers.some((r) => r.identifier === id));
  const keptServers = kept.flatMap(([, r]) => {
    const parsed = resourceServerSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
  const servers: ResourceServer[] = [FOYER_RESOURCE_SERVER, ...seed.resource_servers, ...keptServers];
  const known = new Set(servers.flatMap(customScopesOf));
  const identifiers = new Set(servers.map((r) => r.identifier));
  seed.clients.forEach((c, i) => {
    for (const scope of scopeWords(c.scope)) {
      const split = splitCustomScope(scope);
      if (!split || known.has(scope)) continue;
      const why = identifiers.has(split.identifier) ? `resource server "${split.identifier}" has no scope "${split.name}"` : `no resource server has the identifier "${split.identifier}" (declare it in resource_servers)`;
      throw new PoolConfigError(source, ['clients', i, 'scope'], `unknown scope "${scope}": ${why}`);
    }
  });
  const removedClients = new Set(config.sections.has('clients') ? [...stored.clients.keys()].filter((id) => !seed.clients.some((c) => c.client_id === id)) : []);
  const confidential = (id: string): boolean | undefined => {
    const inFile = seed.clients.find((c) => c.client_id === id);
    if (inFile) return inFile.token_endpoint_auth_method !== 'none';
    const s = stored.clients.get(id) as { token_endpoint_auth_method?: string } | undefined;
    if (!s || removedClients.has(id)) return undefined;
    return s.token_endpoint_auth_method !== 'none';
  };
  seed.resource_servers.forEach((r, i) => {
    (r.introspection_clients ?? []).forEach((id, j) => {
      const ok = confidential(id);
      if (ok === undefined) throw new PoolConfigError(source, ['resource_servers', i, 'introspection_clients', j], `client "${id}" does not exist (not in "clients", not stored)`);
      if (!ok) throw new PoolConfigError(source, ['resource_servers', i, 'introspection_clients', j], `client "${id}" is public: only a confidential client can authenticate to introspect`);
    });
  });
}

/** Counts per section and action, for the summary line. */
export function summarize(plan: Plan): Record<SeedSection, { create: number; update: number; unchanged: number; remove: number; leftAlone: number }> {
  const out = Object.fromEntries(
    (Object.keys(plan.unchanged) as SeedSection[]).map((s) => [s, { create: 0, update: 0, unchanged: plan.unchanged[s], remove: 0, leftAlone: 0 }]),
  ) as ReturnType<typeof summarize>;
  for (const c of plan.changes) {
    const row = out[c.section];
    if (c.action === 'remove') row[c.applied ? 'remove' : 'leftAlone']++;
    else row[c.action]++;
  }
  return out;
}
