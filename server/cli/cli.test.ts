/**
 * The `foyer` command as operators run it: a separate process (bin/foyer.mjs) on the same
 * database as the test, through the same environment variables as the server.
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import bcrypt from 'bcryptjs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePoolConfig } from '../config/seed';
import { REDACTED } from '../config/redacted';
import { connectSqlite, type Db } from '../db/connect';
import { createPool } from '../pool';
import { openProviderConfig } from '../federation/providers';
import { ensureAccountClient } from '../pool/account/client';
import { clientSecretMatches, isClientSecretHash } from '../pool/client-secrets';
import { installVault, resolveDeploymentSecret } from '../secrets';
import { applyPoolConfig } from '../pool-config/apply';
import { describeEachDb, postgresUrl } from '../testing/databases';
import { main } from './main';
import { testOutbox } from '../testing/outbox';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = path.join(repoRoot, 'bin', 'foyer.mjs');
const SLOW = 90_000; // each run starts a Node process that compiles TypeScript

const PASSWORD = 'the same password on both sides';
const LEGACY = 'a password from before Foyer';
const appleKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

type Run = { code: number | null; stdout: string; stderr: string };

// The servers' deployment secret, given to every CLI run: the test seals and hashes under the same one.
const FOYER_SECRET = randomBytes(48).toString('base64url');
installVault(resolveDeploymentSecret({ secret: FOYER_SECRET, previousSecrets: [], dataDir: os.tmpdir() }).vault);

/** Runs `foyer <args>` with only the given database settings (none of the caller's). */
function foyer(args: string[], env: Record<string, string> = {}, cwd = os.tmpdir()): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_FORMAT: 'json' };
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'FOYER_CONFIG', 'FOYER_CONFIG_PRUNE']) delete childEnv[k];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...childEnv, FOYER_SECRET, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment that points the CLI at a test database (its own schema on PostgreSQL). */
function envFor(db: Db): Record<string, string> {
  if (db.dialect === 'sqlite') return { DATA_DIR: path.dirname(db.file!) };
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${db.schema}`);
  return { DATABASE_URL: url.toString() };
}

const temps: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'foyer-cli-'));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const poolFile = {
  pool: { name: 'Exported pool', custom_attributes: [{ name: 'custom:plan' }], mfa: { mode: 'OPTIONAL', factors: ['totp', 'email'] } },
  identity_providers: [
    { name: 'Corp', type: 'oidc', issuer: 'https://idp.corp.example', client_id: 'foyer', client_secret: 'corp-upstream-secret', idp_identifiers: ['corp.example'] },
    { name: 'Apple', type: 'apple', client_id: 'com.acme.web', team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: appleKey },
  ],
  clients: [
    { client_id: 'web', client_secret: 'web-client-secret-0123456789', redirect_uris: ['https://app.example/cb'], supported_identity_providers: ['COGNITO', 'Corp', 'Apple'] },
    { client_id: 'spa', token_endpoint_auth_method: 'none', redirect_uris: ['https://spa.example/cb'], scope: 'openid email' },
  ],
  groups: [{ name: 'admins', description: 'Administrators', precedence: 0 }, { name: 'staff' }],
  users: [
    { username: 'Alice', email: 'alice@example.com', email_verified: true, phone_number: '+447700900123', password: PASSWORD, groups: ['admins', 'staff'], attributes: { 'custom:plan': 'pro', name: 'Alice A.' } },
    { username: 'bob', email: 'bob@example.com', password_hash: bcrypt.hashSync(LEGACY, 4), status: 'RESET_REQUIRED' },
    { username: 'carol', password: PASSWORD, enabled: false },
    { username: 'Corp_42', status: 'EXTERNAL_PROVIDER', email: 'dan@corp.example', identities: [{ provider: 'Corp', subject: '42', issuer: 'https://idp.corp.example' }] },
  ],
};

/** Everything a pool is made of that the export carries, row by row, minus the times of writing. */
async function snapshot(db: Db) {
  const k = db.kysely;
  const strip = <T extends Record<string, unknown>>(rows: T[], drop: string[]) => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([c]) => !drop.includes(c))));
  return {
    settings: (await k.selectFrom('settings').select(['name', 'value']).execute()).map((r) => ({ name: r.name, value: JSON.parse(r.value) })),
    // A client secret is stored as a hash under a key of each database's own: compared as "hashed".
    clients: (await k.selectFrom('clients').select(['client_id', 'metadata']).where('client_id', '!=', 'foyer-account').orderBy('client_id').execute()).map((r) => {
      const metadata = JSON.parse(r.metadata);
      return { id: r.client_id, metadata: metadata.client_secret ? { ...metadata, client_secret: isClientSecretHash(metadata.client_secret) && 'hashed' } : metadata };
    }),
    providers: (await k.selectFrom('identity_providers').select(['name', 'type', 'config']).orderBy('name').execute()).map((r) => ({ ...r, config: openProviderConfig(r.name, r.config) })),
    groups: strip(await k.selectFrom('groups').selectAll().orderBy('name').execute(), ['created_at']),
    users: strip(await k.selectFrom('users').selectAll().orderBy('username_lower').execute(), ['created_at', 'updated_at']).map((u) => ({ ...u, attributes: JSON.parse(String(u.attributes)) })),
    memberships: await k.selectFrom('user_groups').selectAll().orderBy('user_id').orderBy('group_name').execute(),
    identities: strip(await k.selectFrom('user_identities').selectAll().orderBy('provider_name').orderBy('subject').execute(), ['linked_at', 'last_sign_in_at']),
  };
}

/** `main` in this process, its output captured: for the many argument checks. */
async function inProcess(args: string[]): Promise<Run> {
  const out = { text: '' };
  const err = { text: '' };
  const sink = (into: { text: string }) => ({ write: (chunk: string) => ((into.text += chunk), true) }) as unknown as NodeJS.WritableStream;
  const code = await main(args, { out: sink(out), err: sink(err) });
  return { code, stdout: out.text, stderr: err.text };
}

describe('foyer: arguments', () => {
  it('wrong arguments exit 2 with the usage, in a real process too; --help exits 0', { timeout: SLOW }, async () => {
    const cases: [string[], RegExp][] = [
      [[], /^Usage:/],
      [['frobnicate'], /foyer: unknown command 'frobnicate'/],
      [['config'], /foyer config: give one of check, apply, export/],
      [['users', 'import'], /foyer users import: missing <file>/],
      [['users', 'sign-out'], /foyer users sign-out: missing <username>/],
      [['backup', 'a.db', 'b.db'], /foyer backup: unexpected argument 'b.db'/],
      [['config', 'export', '--bogus'], /foyer config export: Unknown option '--bogus'/],
      [['config', 'export', '--output'], /foyer config export: Option '--output <value>' argument missing/],
      [['keys', 'rotate', '--activate-after', 'soon'], /--activate-after must be a whole number of seconds from 0 to 2592000/],
      [['keys', 'rotate', '--activate-after', '9999999'], /--activate-after must be a whole number of seconds from 0 to 2592000/],
      [['users', 'import', 'people.txt'], /cannot tell the format from the file name: give --format csv or --format jsonl/],
      [['users', 'import', 'people.csv', '--format', 'xml'], /--format must be one of: csv, jsonl/],
    ];
    for (const [args, message] of cases) {
      const run = await inProcess(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
    }
    for (const [args, message] of [cases[1], cases[5]]) {
      const run = await foyer(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    const help = await inProcess(['config', 'apply', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: foyer config apply \[file\] \[--prune\]/);
  });

  it('a pool config that does not validate exits 1 with one line naming the field', { timeout: SLOW }, async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify({ clients: [{ client_id: 'x', redirect_uris: ['not a url'], token_endpoint_auth_method: 'none' }] }));
    const run = await foyer(['config', 'check', 'bad.json'], { DATA_DIR: dir }, dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('foyer config check: Invalid pool config (bad.json): field "clients.0.redirect_uris.0": Invalid URL\n');
  });
});

describeEachDb('foyer CLI', (open, dbName) => {
  it('config export, then config apply into an empty database: the same pool, field by field, and the same passwords', { timeout: SLOW }, async () => {
    const source = await open();
    await applyPoolConfig(source, parsePoolConfig(poolFile));
    await ensureAccountClient(source.kysely, 'http://localhost:3000', Date.now());
    const target = await open();
    const dir = tempDir();

    const exported = await foyer(['config', 'export', '--include-secrets', '--output', 'pool.json'], envFor(source), dir);
    expect(exported).toMatchObject({ code: 0, stdout: 'Wrote pool.json.\n', stderr: '' });
    expect(fs.statSync(path.join(dir, 'pool.json')).mode & 0o777).toBe(0o600);
    // Only the hash of a client secret is stored: even with --include-secrets, the operator gives it.
    const file = JSON.parse(fs.readFileSync(path.join(dir, 'pool.json'), 'utf8'));
    expect(file.clients.find((c: { client_id: string }) => c.client_id === 'web').client_secret).toBe(REDACTED);
    file.clients.find((c: { client_id: string }) => c.client_id === 'web').client_secret = poolFile.clients[0].client_secret;
    fs.writeFileSync(path.join(dir, 'pool.json'), JSON.stringify(file));
    const applied = await foyer(['config', 'apply', 'pool.json'], envFor(target), dir);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('pool: 1 created; identity_providers: 2 created; clients: 2 created; groups: 2 created; users: 4 created');

    expect(await snapshot(target)).toEqual(await snapshot(source));
    const web = JSON.parse((await target.kysely.selectFrom('clients').select('metadata').where('client_id', '=', 'web').executeTakeFirstOrThrow()).metadata);
    expect(await clientSecretMatches(target.kysely, 'web', web.client_secret, poolFile.clients[0].client_secret!)).toBe(true);
    const pool = createPool({ db: target.kysely, outbox: testOutbox(target.kysely).link, secret: 'test-secret' });
    const alice = await target.kysely.selectFrom('users').select('id').where('username', '=', 'Alice').executeTakeFirstOrThrow();
    expect(await pool.signIn({ identifier: 'alice@example.com', password: PASSWORD, ip: '192.0.2.9', locale: 'en' })).toEqual({ done: { userId: alice.id, amr: ['pwd'] } });
    expect(await pool.signIn({ identifier: 'bob', password: LEGACY, ip: '192.0.2.9', locale: 'en' })).toMatchObject({ next: { step: 'reset-password' } });
    // Disabled: her right password gets a wrong one's answer (saying "disabled" would confirm it).
    expect(await pool.signIn({ identifier: 'carol', password: PASSWORD, ip: '192.0.2.9', locale: 'en' })).toEqual({ error: 'invalid_credentials' });

    // Without --include-secrets, to stdout: placeholders instead of secrets, and the password hashes.
    const redacted = await foyer(['config', 'export'], envFor(source), dir);
    expect(redacted.code).toBe(0);
    const json = JSON.parse(redacted.stdout);
    expect(json.clients.map((c: { client_id: string; client_secret?: string }) => [c.client_id, c.client_secret])).toEqual([['spa', undefined], ['web', REDACTED]]);
    expect(json.identity_providers.map((p: { client_secret?: string; private_key?: string }) => p.client_secret ?? p.private_key)).toEqual([REDACTED, REDACTED]);
    expect(redacted.stdout).not.toMatch(/web-client-secret|corp-upstream-secret|PRIVATE KEY/);
    // Applying it back to the source keeps every stored secret: nothing changes.
    fs.writeFileSync(path.join(dir, 'redacted.json'), redacted.stdout);
    const back = await foyer(['config', 'apply', 'redacted.json'], envFor(source), dir);
    expect(back.stdout).toContain('nothing to change');
  });

  it('config check shows the changes without making them; config apply --prune makes them', { timeout: SLOW }, async () => {
    const db = await open();
    await applyPoolConfig(db, parsePoolConfig(poolFile));
    const dir = tempDir();
    const edited = { ...poolFile, pool: { ...poolFile.pool, name: 'Renamed' }, clients: [{ ...poolFile.clients[0], client_secret: 'a-rotated-client-secret' }] };
    fs.writeFileSync(path.join(dir, 'pool.json'), JSON.stringify(edited));
    const before = await snapshot(db);

    const check = await foyer(['config', 'check'], { ...envFor(db), FOYER_CONFIG: 'pool.json' }, dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toBe(
      [
        'pool.json is valid. Applying it would:',
        '  update pool/pool: name',
        '    name: "Exported pool" -> "Renamed"',
        '  update clients/web: client_secret',
        '    client_secret: "[redacted]" -> "[redacted]"',
        '  keep clients/spa (not in the file; --prune would remove it)',
        'pool: 1 updated; identity_providers: 2 unchanged; clients: 1 updated, 1 not in the file (kept); groups: 2 unchanged; users: 4 unchanged',
        '',
      ].join('\n'),
    );
    expect(await snapshot(db)).toEqual(before);

    const apply = await foyer(['config', 'apply', 'pool.json', '--prune'], envFor(db), dir);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('  remove clients/spa\n');
    const after = await snapshot(db);
    expect(after.clients.map((c) => c.id)).toEqual(['web']);
    const web = JSON.parse((await db.kysely.selectFrom('clients').select('metadata').where('client_id', '=', 'web').executeTakeFirstOrThrow()).metadata);
    expect(await clientSecretMatches(db.kysely, 'web', web.client_secret, 'a-rotated-client-secret')).toBe(true);
    expect(after.settings[0].value.name).toBe('Renamed');
  });

  it('users import: good rows in, bad rows reported by line (exit 1), existing users skipped', { timeout: SLOW }, async () => {
    const db = await open();
    await applyPoolConfig(db, parsePoolConfig(poolFile));
    const dir = tempDir();
    fs.writeFileSync(
      path.join(dir, 'people.csv'),
      ['username,email,email_verified,password_hash,groups,custom:plan', `erin,erin@example.com,true,${bcrypt.hashSync(LEGACY, 4)},staff,free`, 'alice,,,,,', 'frank,frank@,,,,', 'gina,,,,,'].join('\n'),
    );
    const run = await foyer(['users', 'import', 'people.csv'], envFor(db), dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('people.csv:4: field "email": Invalid email address\n2 created, 1 already there (skipped), 1 rejected.\n');
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret' });
    expect(await pool.signIn({ identifier: 'erin@example.com', password: LEGACY, ip: '192.0.2.9', locale: 'en' })).toMatchObject({ done: { amr: ['pwd'] } });

    const strict = await foyer(['users', 'import', 'people.csv', '--strict'], envFor(db), dir);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('Nothing imported (--strict): 1 bad row(s).');
    fs.writeFileSync(path.join(dir, 'more.jsonl'), `${JSON.stringify({ username: 'hugo', groups: ['admins'] })}\n`);
    expect(await foyer(['users', 'import', 'more.jsonl'], envFor(db), dir)).toMatchObject({ code: 0, stdout: '1 created, 0 already there (skipped), 0 rejected.\n' });
  });

  it('users sign-out: every session, grant and token of the user ends, nobody else\'s; an unknown user exits 1', { timeout: SLOW }, async () => {
    const db = await open();
    await applyPoolConfig(db, parsePoolConfig(poolFile));
    const users = await db.kysely.selectFrom('users').select(['id', 'username']).where('username', 'in', ['Alice', 'bob']).orderBy('username_lower').execute();
    for (const u of users) {
      for (const model of ['Session', 'Grant', 'RefreshToken', 'AuthorizationCode']) {
        const grantId = model === 'Grant' || model === 'Session' ? null : `${u.username}-Grant`;
        await db.kysely
          .insertInto('oidc_artifacts')
          .values({ model, id: `${u.username}-${model}`, payload: JSON.stringify({ accountId: u.id, grantId }), grant_id: grantId, user_code: null, uid: null, expires_at: Date.now() + 3600_000, consumed_at: null, account_id: u.id })
          .execute();
      }
    }
    const left = async () => (await db.kysely.selectFrom('oidc_artifacts').select('id').where('account_id', 'is not', null).orderBy('id').execute()).map((r) => r.id);
    const run = await foyer(['users', 'sign-out', 'alice'], envFor(db));
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ code: 0, stdout: 'Signed alice out everywhere: 1 browser session(s) ended, with every grant and token.\n' });
    expect(await left()).toEqual(['bob-AuthorizationCode', 'bob-Grant', 'bob-RefreshToken', 'bob-Session']);
    expect(await foyer(['users', 'sign-out', 'nobody'], envFor(db))).toMatchObject({ code: 1, stderr: 'foyer users sign-out: no user named "nobody"\n' });
  });

  it('users disable marks the user disabled and ends their sessions; users enable undoes it; an unknown user exits 1', { timeout: SLOW }, async () => {
    const db = await open();
    await applyPoolConfig(db, parsePoolConfig(poolFile));
    const alice = await db.kysely.selectFrom('users').select('id').where('username', '=', 'Alice').executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('oidc_artifacts')
      .values({ model: 'Session', id: 'alice-Session', payload: JSON.stringify({ accountId: alice.id }), grant_id: null, user_code: null, uid: null, expires_at: Date.now() + 3600_000, consumed_at: null, account_id: alice.id })
      .execute();
    const enabled = async () => (await db.kysely.selectFrom('users').select('enabled').where('id', '=', alice.id).executeTakeFirstOrThrow()).enabled;
    expect(await foyer(['users', 'disable', 'alice'], envFor(db))).toMatchObject({ code: 0, stdout: 'Disabled alice: every session, grant and token ended.\n' });
    expect(await enabled()).toBe(0);
    expect(await db.kysely.selectFrom('oidc_artifacts').select('id').where('account_id', '=', alice.id).execute()).toEqual([]);
    expect(await foyer(['users', 'enable', 'alice'], envFor(db))).toMatchObject({ code: 0, stdout: 'Enabled alice.\n' });
    expect(await enabled()).toBe(1);
    expect(await foyer(['users', 'disable', 'nobody'], envFor(db))).toMatchObject({ code: 1, stderr: 'foyer users disable: no user named "nobody"\n' });
  });

  it('backup: a copy that opens as a database with the same users (SQLite); pg_dump is the way on PostgreSQL', { timeout: SLOW }, async () => {
    const db = await open();
    await applyPoolConfig(db, parsePoolConfig(poolFile));
    const dir = tempDir();
    const run = await foyer(['backup', 'copy.db'], envFor(db), dir);
    if (dbName === 'postgres') {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('with PostgreSQL (DATABASE_URL) use pg_dump');
      expect(fs.existsSync(path.join(dir, 'copy.db'))).toBe(false);
      return;
    }
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(fs.readdirSync(dir)).toEqual(['copy.db']); // one file: no journal or partial copy beside it
    const copy = connectSqlite(path.join(dir, 'copy.db'));
    try {
      expect((await snapshot(copy)).users).toEqual((await snapshot(db)).users);
    } finally {
      await copy.close();
    }
    const again = await foyer(['backup', 'copy.db'], envFor(db), dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('foyer backup: copy.db exists: give another file, or --force to overwrite it\n');
    await db.kysely.deleteFrom('users').where('username', '=', 'carol').execute();
    expect((await foyer(['backup', 'copy.db', '--force'], envFor(db), dir)).code).toBe(0);
    const fresh = connectSqlite(path.join(dir, 'copy.db'));
    try {
      expect((await fresh.kysely.selectFrom('users').select('username').orderBy('username_lower').execute()).map((u) => u.username)).toEqual(['Alice', 'bob', 'Corp_42']);
    } finally {
      await fresh.close();
    }
  });

  it('migrate makes the tables of a new database; config export says to migrate first otherwise', { timeout: SLOW }, async () => {
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    if (dbName === 'sqlite') {
      const dir = tempDir();
      env = { DATA_DIR: dir };
      cleanup = async () => undefined;
      expect((await foyer(['config', 'export'], env)).stderr).toBe(`foyer config export: no database at ${path.join(dir, 'foyer.db')} (set DATA_DIR to the server's data folder, or DATABASE_URL)\n`);
    } else {
      const schema = `t_${randomBytes(8).toString('hex')}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema "${schema}"`);
      env = envFor({ dialect: 'postgres', schema } as Db);
      cleanup = async () => {
        await admin.query(`drop schema if exists "${schema}" cascade`);
        await admin.end();
      };
      expect((await foyer(['config', 'export'], env)).stderr).toBe('foyer config export: the database has no Foyer tables yet: run `foyer migrate` first\n');
    }
    try {
      expect(await foyer(['migrate'], env)).toMatchObject({ code: 0, stdout: 'Database migrated.\n' });
      expect(await foyer(['migrate'], env)).toMatchObject({ code: 0 });
      const exported = await foyer(['config', 'export'], env);
      expect(exported.code).toBe(0);
      expect(JSON.parse(exported.stdout)).toMatchObject({ clients: [], groups: [], users: [], identity_providers: [] });
    } finally {
      await cleanup();
    }
  });
});
