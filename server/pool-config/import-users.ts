import type { Kysely } from 'kysely';
import { poolSettingsSchema, profileAttributes, userReferenceProblems, userSeedSchema, type UserSeed } from '../config/seed';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { parseCsv } from './csv';
import { exclusively } from './lock';
import { identityKey, storedUsers } from './state';
import { createSeedUser, hashSeedPasswords } from './write';

export const importFormats = ['csv', 'jsonl'] as const;
export type ImportFormat = (typeof importFormats)[number];

/** A row of the file: the user record it holds, or why it could not be read. */
type Row = { line: number; record: unknown } | { line: number; problem: string };

export interface ImportReport {
  created: number;
  /** Users whose username was already taken: left as they are. */
  existing: number;
  rejected: { line: number; problem: string }[];
  /** `strict` and a bad row: nothing was written. */
  refused: boolean;
}

const BATCH = 500;

const CSV_FIELDS = new Set(['username', 'sub', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'password', 'password_hash', 'status', 'enabled', 'groups']);
const CSV_BOOLEANS = new Set(['email_verified', 'phone_number_verified', 'enabled']);
function csvValue(column: string, cell: string): unknown {
  if (CSV_BOOLEANS.has(column)) {
    const v = cell.trim().toLowerCase();
    return v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : cell;
  }
  if (column === 'groups') return cell.split(';').map((g) => g.trim()).filter(Boolean);
  return cell;
}

/**
 * CSV with a header row: the user fields of the pool config (`groups` separated by `;`,
 * booleans `true`/`false`/`1`/`0`), and one column per attribute (`name`, `custom:plan`…). An
 * empty cell is an absent field. Identities need JSON lines.
 */
function csvRows(text: string): Row[] {
  const [header, ...records] = parseCsv(text);
  if (!header) return [];
  const columns = header.cells.map((c) => c.trim());
  const unknown = columns.filter((c) => !CSV_FIELDS.has(c) && !profileAttributes.has(c) && !c.startsWith('custom:'));
  if (unknown.length > 0) throw new Error(`line ${header.line}: unknown column ${unknown.map((c) => `"${c}"`).join(', ')} (user fields of the pool config, or attributes such as name or custom:plan)`);
  if (!columns.includes('username')) throw new Error(`line ${header.line}: the header has no "username" column`);
  return records.map(({ line, cells }) => {
    if (cells.length !== columns.length) return { line, problem: `${cells.length} cells for ${columns.length} columns` };
    const record: Record<string, unknown> = {};
    const attributes: Record<string, string> = {};
    columns.forEach((column, i) => {
      if (cells[i] === '') return;
      if (CSV_FIELDS.has(column)) record[column] = csvValue(column, cells[i]);
      else attributes[column] = cells[i];
    });
    if (Object.keys(attributes).length > 0) record.attributes = attributes;
    return { line, record };
  });
}

/** One user object of the pool config per line; blank lines are skipped. */
function jsonlRows(text: string): Row[] {
  return text.split(/\r?\n/).flatMap((raw, i): Row[] => {
    if (raw.trim() === '') return [];
    try {
      return [{ line: i + 1, record: JSON.parse(raw) }];
    } catch (e) {
      return [{ line: i + 1, problem: `not JSON: ${(e as Error).message}` }];
    }
  });
}

export function readImportRows(text: string, format: ImportFormat): Row[] {
  return format === 'csv' ? csvRows(text) : jsonlRows(text);
}

/** What the rows may refer to: the pool's groups, declared custom attributes and providers. */
async function knownReferences(db: Kysely<Database>) {
  const settings = await db.selectFrom('settings').select('value').where('name', '=', 'pool').executeTakeFirst();
  const pool = poolSettingsSchema.safeParse(settings ? JSON.parse(settings.value) : {});
  return {
    groups: new Set((await db.selectFrom('groups').select('name').execute()).map((g) => g.name)),
    custom: new Set(pool.success ? pool.data.custom_attributes.map((a) => a.name) : []),
    declared: pool.success ? pool.data.custom_attributes : [],
    providers: new Set((await db.selectFrom('identity_providers').select('name').execute()).map((p) => p.name)),
  };
}

/** Checks every row on its own and against the ones above it; what is left to import, and what is not. */
function validate(rows: Row[], known: Awaited<ReturnType<typeof knownReferences>>) {
  const good: { line: number; user: UserSeed }[] = [];
  const rejected: ImportReport['rejected'] = [];
  const firstLine = { username: new Map<string, number>(), sub: new Map<string, number>(), identity: new Map<string, number>() };
  for (const row of rows) {
    if ('problem' in row) {
      rejected.push(row);
      continue;
    }
    const parsed = userSeedSchema.safeParse(row.record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      rejected.push({ line: row.line, problem: `field "${issue.path.join('.') || '(root)'}": ${issue.message}` });
      continue;
    }
    const user = parsed.data;
    const problem = userReferenceProblems(user, known)[0];
    if (problem) {
      rejected.push({ line: row.line, problem: `field "${problem.path.join('.')}": ${problem.message.replace(/ in "\w+"$/, ' in the pool')}` });
      continue;
    }
    const keys: [keyof typeof firstLine, string][] = [
      ['username', user.username.toLowerCase()],
      ...(user.sub ? [['sub', user.sub.toLowerCase()] as [keyof typeof firstLine, string]] : []),
      ...user.identities.map((i) => ['identity', identityKey(i.provider, i.subject)] as [keyof typeof firstLine, string]),
    ];
    const duplicate = keys.find(([kind, key]) => firstLine[kind].has(key));
    if (duplicate) {
      rejected.push({ line: row.line, problem: `same ${duplicate[0]} as line ${firstLine[duplicate[0]].get(duplicate[1])}` });
      continue;
    }
    for (const [kind, key] of keys) firstLine[kind].set(key, row.line);
    good.push({ line: row.line, user });
  }
  return { good, rejected };
}

/** Why a new user cannot be created beside the stored ones, if it cannot. */
function conflict(user: UserSeed, stored: Awaited<ReturnType<typeof storedUsers>>): string | undefined {
  const owner = user.sub && stored.subs.get(user.sub.toLowerCase());
  if (owner) return `field "sub": is already the sub of user "${owner}"`;
  const j = user.identities.findIndex((i) => stored.identities.has(identityKey(i.provider, i.subject)));
  if (j >= 0) return `field "identities.${j}": is already linked to another user`;
  return undefined;
}

/**
 * `foyer users import`: creates the users of `rows` whose username is free, in batches, each in
 * one transaction; users that exist are skipped and counted. A bad row is reported with its line
 * and skipped, or with `strict` the whole import is refused before anything is written.
 */
export async function importUsers(db: Db, rows: Row[], opts: { strict: boolean; now?: () => number }): Promise<ImportReport> {
  const { good, rejected } = validate(rows, await knownReferences(db.kysely));
  if (opts.strict) {
    const stored = await storedUsers(db.kysely, good.map((g) => g.user));
    for (const { line, user } of good) {
      const problem = stored.usernames.has(user.username.toLowerCase()) ? undefined : conflict(user, stored);
      if (problem) rejected.push({ line, problem });
    }
    if (rejected.length > 0) return { created: 0, existing: 0, rejected: rejected.sort((a, b) => a.line - b.line), refused: true };
  }
  const report: ImportReport = { created: 0, existing: 0, rejected, refused: false };
  const now = opts.now ?? Date.now;
  for (let i = 0; i < good.length; i += BATCH) {
    const batch = good.slice(i, i + BATCH);
    const hashes = await hashSeedPasswords(batch.map((b) => b.user));
    const outcome = await exclusively(db, async (tx) => {
      const stored = await storedUsers(tx, batch.map((b) => b.user));
      const result = { created: 0, existing: 0, rejected: [] as ImportReport['rejected'] };
      for (const { line, user } of batch) {
        if (stored.usernames.has(user.username.toLowerCase())) {
          result.existing++;
          continue;
        }
        const problem = conflict(user, stored);
        if (problem) {
          result.rejected.push({ line, problem });
          continue;
        }
        await createSeedUser(tx, user, hashes.get(user.username.toLowerCase()) ?? null, now());
        result.created++;
      }
      return result;
    });
    report.created += outcome.created;
    report.existing += outcome.existing;
    report.rejected.push(...outcome.rejected);
  }
  report.rejected.sort((a, b) => a.line - b.line);
  return report;
}
