import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it, vi } from 'vitest';
import { parsePoolConfig, parseSeed } from '../config/seed';
import { REDACTED } from '../config/redacted';
import { connectPostgres, connectSqlite, type Db } from '../db/connect';
import { log } from '../log';
import { openProviderConfig } from '../federation/providers';
import { ensureAccountClient } from '../pool/account/client';
import { clientSecretMatches } from '../pool/client-secrets';
import { verifyPassword } from '../pool/passwords/hash';
import { describeEachDb, postgresUrl } from '../testing/databases';
import { applyConfigFile, applyPoolConfig, applySeedIfEmpty } from './apply';
import type { Change, Plan } from './plan';

const PASSWORD = 'quiet orchards remember rain';
const CLIENT_SECRET = 'web-client-secret-0123456789';
const IDP_SECRET = 'corp-upstream-secret';
const appleKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** A pool config naming every section; `edit` changes the JSON before it is parsed. */
function file(edit: (f: ReturnType<typeof baseFile>) => void = () => undefined) {
  const f = baseFile();
  edit(f);
  return parsePoolConfig(JSON.parse(JSON.stringify(f)), 'pool.json');
}
function baseFile() {
  return {
    pool: { name: 'Acme', custom_attributes: [{ name: 'custom:plan' }] } as Record<string, unknown>,
    identity_providers: [
      { name: 'Corp', type: 'oidc', issuer: 'https://idp.corp.example', client_id: 'foyer', client_secret: IDP_SECRET } as Record<string, unknown>,
      { name: 'Apple', type: 'apple', client_id: 'com.acme.web', team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: appleKey } as Record<string, unknown>,
    ],
    clients: [
      { client_id: 'web', client_secret: CLIENT_SECRET, redirect_uris: ['https://app.acme.example/cb'], supported_identity_providers: ['COGNITO', 'Corp'] } as Record<string, unknown>,
      { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.acme.example/cb'] } as Record<string, unknown>,
    ],
    groups: [{ name: 'staff', precedence: 1 }, { name: 'admins', description: 'Administrators', precedence: 0 }] as Record<string, unknown>[],
    users: [
      { username: 'alice', email: 'alice@acme.example', email_verified: true, password: PASSWORD, groups: ['staff', 'admins'], attributes: { 'custom:plan': 'pro' } },
      { username: 'bob', password_hash: '$2b$04$e7M87tE2GuSGyBUo1FlPseZbwvEG22SaurHqmVS.eHtm3eVjy.5Z2', status: 'FORCE_CHANGE_PASSWORD', enabled: false },
      { username: 'corp_42', status: 'EXTERNAL_PROVIDER', identities: [{ provider: 'Corp', subject: '42', issuer: 'https://idp.corp.example' }] },
    ] as Record<string, unknown>[],
  };
}

const summary = (plan: Plan) => plan.changes.map((c) => `${c.action}${c.action === 'remove' && !c.applied ? '(kept)' : ''} ${c.section}/${c.name}`);
const updateOf = (plan: Plan, section: string, name: string) => {
  const c = plan.changes.find((x): x is Extract<Change, { action: 'update' }> => x.section === section && x.name === name && x.action === 'update');
  if (!c) throw new Error(`no update of ${section}/${name} in ${JSON.stringify(plan.changes)}`);
  return c.fields;
};

/** A second, independent connection to the same database: another instance, or the CLI. */
function secondConnection(db: Db): Db {
  if (db.dialect === 'postgres') return connectPostgres(postgresUrl, { searchPath: db.schema });
  return connectSqlite(db.file!);
}

const extra: Db[] = [];
afterEach(async () => {
  await Promise.all(extra.splice(0).map((d) => d.close()));
  vi.restoreAllMocks();
});

describeEachDb('pool config applied as desired state', (open, dbName) => {
  const rows = async (db: Db) => ({
    pool: JSON.parse((await db.kysely.selectFrom('settings').select('value').where('name', '=', 'pool').executeTakeFirst())?.value ?? 'null'),
    clients: (await db.kysely.selectFrom('clients').select('client_id').orderBy('client_id').execute()).map((r) => r.client_id),
    groups: await db.kysely.selectFrom('groups').select(['name', 'description', 'precedence']).orderBy('name').execute(),
    providers: (await db.kysely.selectFrom('identity_providers').select('name').orderBy('name').execute()).map((r) => r.name),
    users: await db.kysely.selectFrom('users').select(['username', 'status', 'enabled', 'password_hash']).orderBy('username_lower').execute(),
    memberships: await db.kysely.selectFrom('user_groups').innerJoin('users', 'users.id', 'user_groups.user_id').select(['users.username', 'user_groups.group_name']).orderBy('users.username').orderBy('group_name').execute(),
    identities: await db.kysely.selectFrom('user_identities').select(['provider_name', 'subject', 'provider_type', 'issuer']).execute(),
  });

  it('creates what the file names; applying it again changes nothing', async () => {
    const db = await open();
    const first = await applyPoolConfig(db, file());
    expect(summary(first)).toEqual([
      'create pool/pool',
      'create identity_providers/Corp',
      'create identity_providers/Apple',
      'create clients/web',
      'create clients/spa',
      'create groups/staff',
      'create groups/admins',
      'create users/alice',
      'create users/bob',
      'create users/corp_42',
    ]);
    const state = await rows(db);
    expect(state.pool.name).toBe('Acme');
    expect(state.clients).toEqual(['spa', 'web']);
    expect(state.providers).toEqual(['Apple', 'Corp']);
    expect(state.groups).toEqual([
      { name: 'admins', description: 'Administrators', precedence: 0 },
      { name: 'staff', description: null, precedence: 1 },
    ]);
    expect(state.users.map((u) => [u.username, u.status, u.enabled])).toEqual([
      ['alice', 'CONFIRMED', 1],
      ['bob', 'FORCE_CHANGE_PASSWORD', 0],
      ['corp_42', 'EXTERNAL_PROVIDER', 1],
    ]);
    expect(await verifyPassword(state.users[0].password_hash!, PASSWORD)).toBe(true);
    expect(state.users[1].password_hash).toBe('$2b$04$e7M87tE2GuSGyBUo1FlPseZbwvEG22SaurHqmVS.eHtm3eVjy.5Z2');
    expect(state.memberships).toEqual([{ username: 'alice', group_name: 'admins' }, { username: 'alice', group_name: 'staff' }]);
    expect(state.identities).toEqual([{ provider_name: 'Corp', subject: '42', provider_type: 'oidc', issuer: 'https://idp.corp.example' }]);

    const again = await applyPoolConfig(db, file());
    expect(again.changes).toEqual([]);
    expect(again.unchanged).toEqual({ pool: 1, themes: 0, identity_providers: 2, resource_servers: 0, clients: 2, groups: 2, users: 3, custom_text: 0 });
    expect(await rows(db)).toEqual(state);
  });

  it('updates what changed and says which fields, never showing a secret', async () => {
    const db = await open();
    await applyPoolConfig(db, file());
    const plan = await applyPoolConfig(
      db,
      file((f) => {
        f.pool.mfa = { mode: 'OPTIONAL' };
        f.clients[0].redirect_uris = ['https://app.acme.example/cb', 'https://app.acme.example/cb2'];
        f.clients[0].client_secret = 'a-brand-new-client-secret';
        f.identity_providers[0].client_secret = 'a-new-upstream-secret';
        f.identity_providers[0].attribute_mapping = { email: 'mail' };
        f.groups[0].description = 'Staff';
      }),
    );
    expect(summary(plan)).toEqual(['update pool/pool', 'update identity_providers/Corp', 'update clients/web', 'update groups/staff']);
    // The default minimum password length follows: 15 for password-only pools, 12 with MFA.
    expect(updateOf(plan, 'pool', 'pool')).toEqual([
      { field: 'mfa.mode', from: 'OFF', to: 'OPTIONAL' },
      { field: 'password_policy.min_length', from: 15, to: 12 },
    ]);
    expect(updateOf(plan, 'clients', 'web')).toEqual([
      { field: 'client_secret', from: '[redacted]', to: '[redacted]' },
      { field: 'redirect_uris', from: ['https://app.acme.example/cb'], to: ['https://app.acme.example/cb', 'https://app.acme.example/cb2'] },
    ]);
    expect(updateOf(plan, 'identity_providers', 'Corp')).toEqual([
      { field: 'attribute_mapping', from: undefined, to: { email: 'mail' } },
      { field: 'client_secret', from: '[redacted]', to: '[redacted]' },
    ]);
    expect(updateOf(plan, 'groups', 'staff')).toEqual([{ field: 'description', from: null, to: 'Staff' }]);
    expect(JSON.stringify(plan.changes)).not.toMatch(/secret-0123|new-client-secret|upstream-secret/);
    const stored = JSON.parse((await db.kysely.selectFrom('clients').select('metadata').where('client_id', '=', 'web').executeTakeFirstOrThrow()).metadata);
    expect(stored).toMatchObject({ redirect_uris: ['https://app.acme.example/cb', 'https://app.acme.example/cb2'] });
    // Stored as a hash that the new secret matches, and the old one no longer does.
    expect(stored.client_secret).not.toContain('a-brand-new-client-secret');
    expect(await clientSecretMatches(db.kysely, 'web', stored.client_secret, 'a-brand-new-client-secret')).toBe(true);
    expect(await clientSecretMatches(db.kysely, 'web', stored.client_secret, CLIENT_SECRET)).toBe(false);
    expect((await rows(db)).pool.mfa.mode).toBe('OPTIONAL');
  });

  it('creates users only: a user who exists keeps their password, attributes, groups and status', async () => {
    const db = await open();
    await applyPoolConfig(db, file());
    const before = await rows(db);
    const plan = await applyPoolConfig(
      db,
      file((f) => {
        f.users[0] = { ...f.users[0], password: 'a different password entirely', attributes: { 'custom:plan': 'free' }, groups: ['staff'] };
        f.users[1] = { ...f.users[1], status: 'CONFIRMED', enabled: true };
        f.users.push({ username: 'carol', password: PASSWORD });
      }),
    );
    expect(summary(plan)).toEqual(['create users/carol']);
    expect(plan.unchanged.users).toBe(3);
    const after = await rows(db);
    expect(after.users.filter((u) => u.username !== 'carol')).toEqual(before.users);
    expect(after.memberships).toEqual(before.memberships);
    const attributes = await db.kysely.selectFrom('users').select('attributes').where('username', '=', 'alice').executeTakeFirstOrThrow();
    expect(JSON.parse(attributes.attributes)).toEqual({ 'custom:plan': 'pro' });
  });

  it('leaves alone what the file does not name, removes it only with prune, and never users or the account client', async () => {
    const db = await open();
    await applyPoolConfig(db, file());
    await ensureAccountClient(db.kysely, 'http://localhost:3000', Date.now());
    await applyPoolConfig(db, file((f) => {
      f.clients.push({ client_id: 'legacy', token_endpoint_auth_method: 'none', redirect_uris: ['https://legacy.example/cb'] });
      f.groups.push({ name: 'alumni' });
      f.users.push({ username: 'dora', groups: ['alumni'] });
    }));
    const smaller = () => file((f) => {
      f.clients = f.clients.filter((c) => c.client_id !== 'spa');
      f.identity_providers = f.identity_providers.filter((p) => p.name !== 'Apple');
      f.groups = f.groups.filter((g) => g.name !== 'staff');
      f.users = [];
    });

    const kept = await applyPoolConfig(db, smaller());
    expect(summary(kept)).toEqual(['remove(kept) identity_providers/Apple', 'remove(kept) clients/spa', 'remove(kept) clients/legacy', 'remove(kept) groups/alumni', 'remove(kept) groups/staff']);
    expect((await rows(db)).clients).toEqual(['foyer-account', 'legacy', 'spa', 'web']);

    const pruned = await applyPoolConfig(db, smaller(), { prune: true });
    expect(summary(pruned)).toEqual(['remove identity_providers/Apple', 'remove clients/spa', 'remove clients/legacy', 'remove groups/alumni', 'remove groups/staff']);
    const state = await rows(db);
    expect(state.clients).toEqual(['foyer-account', 'web']);
    expect(state.providers).toEqual(['Corp']);
    expect(state.groups.map((g) => g.name)).toEqual(['admins']);
    expect(state.users.map((u) => u.username)).toEqual(['alice', 'bob', 'corp_42', 'dora']);
    expect(state.memberships).toEqual([{ username: 'alice', group_name: 'admins' }]);

    // A section the file does not have is not managed: pruning leaves it whole.
    const onlyPool = await applyPoolConfig(db, parsePoolConfig({ pool: { name: 'Acme' } }, 'pool-only.json'), { prune: true });
    expect(summary(onlyPool)).toEqual(['update pool/pool']);
    expect((await rows(db)).clients).toEqual(['foyer-account', 'web']);
  });

  it('does not touch the pool settings when the file has no "pool"', async () => {
    const db = await open();
    await applyPoolConfig(db, file((f) => (f.pool = { ...f.pool, name: 'Set by an admin', self_sign_up: false })));
    const plan = await applyPoolConfig(db, parsePoolConfig({ groups: [{ name: 'staff', precedence: 1 }] }, 'groups.json'));
    expect(summary(plan)).toEqual(['remove(kept) groups/admins']);
    expect((await rows(db)).pool).toMatchObject({ name: 'Set by an admin', self_sign_up: false });
  });

  it("keeps stored secrets for the export's placeholder, and refuses it, naming the field, when there is none", async () => {
    const db = await open();
    const redacted = (f: ReturnType<typeof baseFile>) => {
      f.clients[0].client_secret = REDACTED;
      f.identity_providers[0].client_secret = REDACTED;
      f.identity_providers[1].private_key = REDACTED;
    };
    await expect(applyPoolConfig(db, file(redacted))).rejects.toThrow(
      'Invalid pool config (pool.json): field "identity_providers.0.client_secret": is the export\'s placeholder, and provider "Corp" has no stored secret to keep',
    );
    expect((await rows(db)).providers).toEqual([]);

    await applyPoolConfig(db, file());
    const plan = await applyPoolConfig(db, file(redacted));
    expect(plan.changes).toEqual([]);
    const apple = (await db.kysely.selectFrom('identity_providers').select('config').where('name', '=', 'Apple').executeTakeFirstOrThrow()).config;
    expect(apple).not.toContain('PRIVATE KEY');
    expect(openProviderConfig('Apple', apple).private_key).toBe(appleKey);
    const web = JSON.parse((await db.kysely.selectFrom('clients').select('metadata').where('client_id', '=', 'web').executeTakeFirstOrThrow()).metadata);
    expect(await clientSecretMatches(db.kysely, 'web', web.client_secret, CLIENT_SECRET)).toBe(true);
  });

  it('refuses a user whose sub or identity another user has, naming the field, and writes nothing', async () => {
    const db = await open();
    await applyPoolConfig(db, file());
    const alice = await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow();
    const sub = file((f) => {
      f.pool.name = 'Renamed';
      f.users.push({ username: 'mallory', sub: alice.id });
    });
    await expect(applyPoolConfig(db, sub)).rejects.toThrow('field "users.3.sub": is already the sub of user "alice"');
    const identity = file((f) => (f.users = [{ username: 'corp_42_again', status: 'EXTERNAL_PROVIDER', identities: [{ provider: 'Corp', subject: '42' }] }]));
    await expect(applyPoolConfig(db, identity)).rejects.toThrow('field "users.0.identities.0": is already linked to user "corp_42"');
    expect((await rows(db)).pool.name).toBe('Acme');
  });

  it('is all or nothing: a failure while writing leaves the database as it was', async () => {
    const db = await open();
    await applyPoolConfig(db, file());
    const before = await rows(db);
    // The database itself refuses one user, after the settings, clients and groups are written.
    if (dbName === 'sqlite') {
      await sql`create trigger refuse_boom before insert on users when new.username = 'boom' begin select raise(abort, 'boom refused'); end`.execute(db.kysely);
    } else {
      await sql`create function refuse_boom() returns trigger language plpgsql as $$ begin if new.username = 'boom' then raise exception 'boom refused'; end if; return new; end $$`.execute(db.kysely);
      await sql`create trigger refuse_boom before insert on users for each row execute function refuse_boom()`.execute(db.kysely);
    }
    const failing = file((f) => {
      f.pool.name = 'Half-way';
      f.clients.push({ client_id: 'new-app', token_endpoint_auth_method: 'none', redirect_uris: ['https://new.example/cb'] });
      f.groups.push({ name: 'new-group' });
      f.users.push({ username: 'zed' }, { username: 'boom' });
    });
    await expect(applyPoolConfig(db, failing, { prune: true })).rejects.toThrow(/boom refused/);
    expect(await rows(db)).toEqual(before);
  });

  it('several instances applying at once: each succeeds, everything is created once', async () => {
    const db = await open();
    const instances = [db, secondConnection(db), secondConnection(db), secondConnection(db)];
    extra.push(...instances.slice(1));
    const plans = await Promise.all(instances.map((d) => applyPoolConfig(d, file())));
    // One of them created everything; the others, run after it, found it done.
    const creates = plans.map((p) => p.changes.filter((c) => c.action === 'create').length);
    expect(creates.sort()).toEqual([0, 0, 0, 10]);
    const state = await rows(db);
    expect(state.users.map((u) => u.username)).toEqual(['alice', 'bob', 'corp_42']);
    expect(state.groups).toHaveLength(2);
    expect(state.memberships).toHaveLength(2);
    expect(state.identities).toHaveLength(1);
  });

  it('the demo seed goes into an empty database once, however many instances start together', async () => {
    const db = await open();
    const instances = [db, secondConnection(db), secondConnection(db)];
    extra.push(...instances.slice(1));
    const seed = parseSeed({ pool: { name: 'Demo' }, groups: [{ name: 'admins' }], users: [{ username: 'demo', password: PASSWORD, groups: ['admins'] }] });
    const applied = await Promise.all(instances.map((d) => applySeedIfEmpty(d, seed)));
    expect(applied.filter(Boolean)).toHaveLength(1);
    expect((await rows(db)).users.map((u) => u.username)).toEqual(['demo']);
    expect(await applySeedIfEmpty(db, parseSeed({ pool: { name: 'Other' } }))).toBe(false);
    expect((await rows(db)).pool.name).toBe('Demo');
  });

  it('at start (FOYER_CONFIG): logs one record per change and a summary, without secrets; a bad file names the field', async () => {
    const db = await open();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-config-'));
    try {
      const target = path.join(dir, 'foyer.json');
      fs.writeFileSync(target, JSON.stringify(baseFile()));
      const info = vi.spyOn(log, 'info').mockImplementation(() => undefined);
      await applyConfigFile(db, target);
      const records = info.mock.calls.map((c) => c as unknown[]);
      expect(records).toHaveLength(11);
      expect(records[1]).toEqual([{ section: 'identity_providers', entry: 'Corp', action: 'create' }, 'pool config: create identity_providers/Corp']);
      expect(String(records[10][1])).toMatch(/^pool config: applied; pool: 1 created; identity_providers: 2 created; clients: 2 created; groups: 2 created; users: 3 created$/);

      info.mockClear();
      fs.writeFileSync(target, JSON.stringify({ ...baseFile(), clients: [{ ...baseFile().clients[0], client_secret: 'rotated-client-secret-value' }] }));
      await applyConfigFile(db, target, { prune: true });
      const logged = JSON.stringify(info.mock.calls);
      expect(logged).toContain('"action":"update","changes":[{"field":"client_secret","from":"[redacted]","to":"[redacted]"}]');
      expect(logged).toContain('pool config: remove clients/spa');
      expect(logged).not.toMatch(/rotated-client-secret|secret-0123|upstream-secret|PRIVATE KEY|\$2b\$/);

      fs.writeFileSync(target, JSON.stringify({ ...baseFile(), groups: [{ name: 'staff', precedence: -1 }] }));
      await expect(applyConfigFile(db, target)).rejects.toThrow(`Invalid pool config (${target}): field "groups.0.precedence"`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
