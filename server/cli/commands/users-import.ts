import fs from 'node:fs';
import { importFormats, importUsers, readImportRows, type ImportFormat } from '../../pool-config/import-users';
import { UsageError, withDatabase, type CommandSpec } from '../command';

function formatOf(file: string, given: unknown): ImportFormat {
  if (typeof given === 'string') {
    if ((importFormats as readonly string[]).includes(given)) return given as ImportFormat;
    throw new UsageError(`--format must be one of: ${importFormats.join(', ')}`);
  }
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  throw new UsageError('cannot tell the format from the file name: give --format csv or --format jsonl');
}

export const usersImportCommand: CommandSpec = {
  summary: 'Create users from a CSV or JSON lines file, with their password hashes',
  usage: '<file> [--format csv|jsonl] [--strict]',
  help: `Each row is a user in the pool config's user format (username, sub, email, email_verified,
phone_number, phone_number_verified, password or password_hash, status, enabled, groups,
attributes, identities). CSV: a header row, groups separated by ";", one column per attribute
(name, custom:plan…); JSON lines: one object per line. password_hash is kept as it is (argon2,
bcrypt, scrypt, PBKDF2, Django: see the README) and becomes argon2id at the user's next sign-in.
Users whose username exists are skipped and counted; running it again is safe. A bad row is
reported with its line and skipped; with --strict, nothing is imported if any row is bad.
Exit 0 when every row was imported or skipped, 1 when a row was rejected or on failure.`,
  positionals: [{ name: 'file', required: true }],
  options: { format: { type: 'string' }, strict: { type: 'boolean' } },
  async run({ positionals, options, out }) {
    const [file] = positionals;
    const format = formatOf(file, options.format);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`cannot read ${file}: ${(e as Error).message}`);
    }
    const rows = readImportRows(text, format);
    const report = await withDatabase({ create: true }, (db) => importUsers(db, rows, { strict: options.strict === true }));
    for (const r of report.rejected) out.write(`${file}:${r.line}: ${r.problem}\n`);
    if (report.refused) {
      out.write(`Nothing imported (--strict): ${report.rejected.length} bad row(s).\n`);
      return 1;
    }
    out.write(`${report.created} created, ${report.existing} already there (skipped), ${report.rejected.length} rejected.\n`);
    return report.rejected.length > 0 ? 1 : 0;
  },
};
