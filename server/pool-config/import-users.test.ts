import { pbkdf2Sync } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import { parsePoolConfig } from '../config/seed';
import type { Db } from '../db/connect';
import { createPool } from '../pool';
import { describeEachDb } from '../testing/databases';
import { applyPoolConfig } from './apply';
import { parseCsv } from './csv';
import { importUsers, readImportRows } from './import-users';
import { testOutbox } from '../testing/outbox';

const PASSWORD = 'a password from the old system';
const bcryptHash = bcrypt.hashSync(PASSWORD, 4);
const djangoHash = `pbkdf2_sha256$1000$oldsalt$${pbkdf2Sync(PASSWORD, 'oldsalt', 1000, 32, 'sha256').toString('base64')}`;

describe('import files', () => {
  it('reads quoted cells with commas, quotes and line breaks, CRLF, a byte-order mark, and skips blank lines', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\r\n\r\n1,,3\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['x, y', 'say "hi"', 'two\nlines'] },
      { line: 5, cells: ['1', '', '3'] },
    ]);
  });

  it('names the line of a quote left open', () => {
    expect(() => parseCsv('a,b\n1,2\n"open,3\n4,5\n')).toThrow('line 3: a quoted cell is not closed');
  });

  it('an import file whose header has an unknown column, or no username, is refused naming it', () => {
    expect(() => readImportRows('username,favourite_colour\nann,blue', 'csv')).toThrow('line 1: unknown column "favourite_colour"');
    expect(() => readImportRows('email\nann@example.com', 'csv')).toThrow('the header has no "username" column');
  });
});

describeEachDb('users import', (open) => {
  async function setup(): Promise<Db> {
    const db = await open();
    await applyPoolConfig(
      db,
      parsePoolConfig({
        pool: { custom_attributes: [{ name: 'custom:plan' }] },
        groups: [{ name: 'staff' }, { name: 'beta' }],
        identity_providers: [{ name: 'Corp', type: 'oidc', issuer: 'https://idp.corp.example', client_id: 'foyer', client_secret: 's' }],
        users: [{ username: 'existing', email: 'existing@example.com', password: 'the existing password' }],
      }),
    );
    return db;
  }
  const users = (db: Db) =>
    db.kysely.selectFrom('users').select(['username', 'email', 'email_verified', 'status', 'enabled', 'password_hash', 'attributes']).orderBy('username_lower').execute();

  const csv = [
    'username,email,email_verified,password_hash,groups,custom:plan,name,status',
    `ann,ann@example.com,true,${bcryptHash},staff;beta,pro,"Ann, the first",`,
    `ben,ben@example.com,1,${djangoHash},,,,RESET_REQUIRED`,
    'cat,not-an-email,true,,,,,',
    'dan,,,$md5$abc,,,,',
    'existing,,,,,,,',
    'eve,,maybe,,,,,',
    'fay,,,,nosuchgroup,,,',
    'ANN,,,,,,,',
    'gus,,,,,free,,',
    'short,row',
  ].join('\n');

  it('CSV: imports the good rows as they are, skips existing users, reports each bad row with its line', async () => {
    const db = await setup();
    const report = await importUsers(db, readImportRows(csv, 'csv'), { strict: false });
    expect(report).toEqual({
      created: 3,
      existing: 1,
      refused: false,
      rejected: [
        { line: 4, problem: 'field "email": Invalid email address' },
        { line: 5, problem: 'field "password_hash": not a supported password hash (argon2, bcrypt, scrypt, PBKDF2 or Django, see the README)' },
        { line: 7, problem: 'field "email_verified": Invalid input: expected boolean, received string' },
        { line: 8, problem: 'field "groups.0": group "nosuchgroup" is not declared in the pool' },
        { line: 9, problem: 'same username as line 2' },
        { line: 11, problem: '2 cells for 8 columns' },
      ],
    });
    const all = await users(db);
    expect(all.map((u) => u.username)).toEqual(['ann', 'ben', 'existing', 'gus']);
    const ann = all[0];
    expect(ann).toMatchObject({ email: 'ann@example.com', email_verified: 1, status: 'CONFIRMED', enabled: 1, password_hash: bcryptHash });
    expect(JSON.parse(ann.attributes)).toEqual({ 'custom:plan': 'pro', name: 'Ann, the first' });
    expect(all[1]).toMatchObject({ status: 'RESET_REQUIRED', password_hash: djangoHash, email_verified: 1 });
    const groups = await db.kysely.selectFrom('user_groups').select('group_name').orderBy('group_name').execute();
    expect(groups.map((g) => g.group_name)).toEqual(['beta', 'staff']);

    // Imported users sign in with their old passwords.
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret' });
    expect(await pool.signIn({ identifier: 'ann', password: PASSWORD, ip: '192.0.2.1', locale: 'en' })).toMatchObject({ done: { amr: ['pwd'] } });

    // Idempotent: the same file again creates nobody.
    const again = await importUsers(db, readImportRows(csv, 'csv'), { strict: false });
    expect({ created: again.created, existing: again.existing, rejected: again.rejected.length }).toEqual({ created: 0, existing: 4, rejected: 6 });
  });

  it('--strict: one bad row and nothing is imported', async () => {
    const db = await setup();
    const report = await importUsers(db, readImportRows(csv, 'csv'), { strict: true });
    expect(report.refused).toBe(true);
    expect(report.created).toBe(0);
    expect(report.rejected.map((r) => r.line)).toEqual([4, 5, 7, 8, 9, 11]);
    expect((await users(db)).map((u) => u.username)).toEqual(['existing']);
  });

  it('JSON lines: sub, identities and attributes; a line that is not JSON, or a taken identity, is reported', async () => {
    const db = await setup();
    const sub = '0b5b6f52-33e5-4a35-9f0b-3f1b0f1f5e11';
    const lines = [
      JSON.stringify({ username: 'corp_7', sub, status: 'EXTERNAL_PROVIDER', identities: [{ provider: 'Corp', subject: '7', issuer: 'https://idp.corp.example' }] }),
      '',
      '{"username": "broken",',
      JSON.stringify({ username: 'again_7', status: 'EXTERNAL_PROVIDER', identities: [{ provider: 'Corp', subject: '7' }] }),
      JSON.stringify({ username: 'nobody', identities: [{ provider: 'Elsewhere', subject: '1' }] }),
      JSON.stringify({ username: 'hana', password: 'a plain password to hash', attributes: { 'custom:plan': 'team' } }),
    ].join('\n');
    const report = await importUsers(db, readImportRows(lines, 'jsonl'), { strict: false });
    expect(report.created).toBe(2);
    expect(report.rejected).toEqual([
      { line: 3, problem: expect.stringMatching(/^not JSON: /) },
      { line: 4, problem: 'same identity as line 1' },
      { line: 5, problem: 'field "identities.0.provider": provider "Elsewhere" is not declared in the pool' },
    ]);
    const corp = await db.kysely.selectFrom('users').innerJoin('user_identities', 'user_identities.user_id', 'users.id').select(['users.id', 'users.status', 'user_identities.provider_type', 'user_identities.issuer']).executeTakeFirstOrThrow();
    expect(corp).toEqual({ id: sub, status: 'EXTERNAL_PROVIDER', provider_type: 'oidc', issuer: 'https://idp.corp.example' });
    const hana = await db.kysely.selectFrom('users').select('password_hash').where('username', '=', 'hana').executeTakeFirstOrThrow();
    expect(hana.password_hash).toMatch(/^\$argon2id\$/);

    // A later file whose user claims that identity again, under a new name: refused at write time.
    const late = await importUsers(db, readImportRows(JSON.stringify({ username: 'late_7', status: 'EXTERNAL_PROVIDER', identities: [{ provider: 'Corp', subject: '7' }] }), 'jsonl'), { strict: false });
    expect(late.rejected).toEqual([{ line: 1, problem: 'field "identities.0": is already linked to another user' }]);
  });

  it('imports in batches: more rows than one transaction holds', async () => {
    const db = await setup();
    const rows = ['username,email', ...Array.from({ length: 1234 }, (_, i) => `user${i},user${i}@example.com`)].join('\n');
    const report = await importUsers(db, readImportRows(rows, 'csv'), { strict: false });
    expect(report).toEqual({ created: 1234, existing: 0, rejected: [], refused: false });
    expect(await users(db)).toHaveLength(1235);
  });

});
