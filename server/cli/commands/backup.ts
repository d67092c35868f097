import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { databaseFile, env, UsageError, type CommandSpec } from '../command';

/** Copies the live database page by page (SQLite's online backup), then puts the copy in place. */
async function backupSqlite(source: string, target: string, force: boolean): Promise<void> {
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
  const db = new SQLite(source, { fileMustExist: true });
  try {
    await db.backup(temp);
    const copy = new SQLite(temp);
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy does not check out: ${String(check)}`);
      // One self-contained file (no -wal beside it); the server turns WAL on again when it opens it.
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    if (force) fs.renameSync(temp, target);
    else fs.linkSync(temp, target); // fails if the target appeared meanwhile: never overwrite without --force
  } finally {
    db.close();
    fs.rmSync(temp, { force: true });
  }
}

export const backupCommand: CommandSpec = {
  summary: 'Copy the embedded SQLite database while the server runs',
  usage: '<file> [--force]',
  help: `Writes a consistent copy of DATA_DIR/foyer.db to <file> with SQLite's online backup, without
stopping the server. An existing <file> is kept unless --force. With PostgreSQL (DATABASE_URL),
use pg_dump. Exit 0 when written, 1 on failure, 2 on a wrong argument or with PostgreSQL.`,
  positionals: [{ name: 'file', required: true }],
  options: { force: { type: 'boolean' } },
  async run({ positionals, options, out }) {
    const [target] = positionals;
    const e = env();
    const source = databaseFile(e);
    if (!source) {
      throw new UsageError('backup copies the embedded SQLite database; with PostgreSQL (DATABASE_URL) use pg_dump, e.g. pg_dump --format=custom --file=foyer.dump "$DATABASE_URL"');
    }
    if (!fs.existsSync(source)) throw new Error(`no database at ${source} (set DATA_DIR to the server's data folder)`);
    if (fs.existsSync(target) && options.force !== true) throw new Error(`${target} exists: give another file, or --force to overwrite it`);
    await backupSqlite(source, target, options.force === true);
    out.write(`Backed up ${source} to ${target}.\n`);
  },
};
