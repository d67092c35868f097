import fs from 'node:fs';
import path from 'node:path';
import { readEnv, type Env } from '../config/env';
import { connect, migrate, type Db } from '../db';
import { checkVaultOpens, installVault, resolveDeploymentSecret } from '../secrets';

/** Wrong arguments: the message is shown with the command's usage, and the exit code is 2. */
export class UsageError extends Error {
  constructor(message: string, readonly code = 2) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A flag, or an option that takes a value (named in the command's usage line). */
export type OptionSpec = { type: 'boolean' | 'string' };

/** What a command is given: its positionals and options, parsed and checked against its spec. */
export interface CommandArgs {
  positionals: string[];
  options: Record<string, string | boolean | undefined>;
  /** Where the command writes its results (stdout; tests may capture it). */
  out: NodeJS.WritableStream;
}

export interface CommandSpec {
  summary: string;
  /** e.g. `<file> [--force]`, after `foyer <name>`. */
  usage: string;
  /** A few lines on what it does, its options and its exit codes. */
  help: string;
  positionals: { name: string; required: boolean }[];
  options: Record<string, OptionSpec>;
  run(args: CommandArgs): Promise<number | void>;
}

export function env(): Env {
  return readEnv(process.env);
}

/** The database the server would use (DATABASE_URL, or DATA_DIR/foyer.db). */
export function databaseFile(e: Env): string | undefined {
  return e.databaseUrl ? undefined : path.join(e.dataDir, 'foyer.db');
}

/**
 * Opens the server's database. `create`: migrate it, made if need be (commands that write);
 * otherwise it must exist already (an SQLite file is never made by reading it).
 */
export async function openDatabase(e: Env, opts: { create: boolean }): Promise<Db> {
  const file = databaseFile(e);
  if (file && !opts.create && !fs.existsSync(file)) {
    throw new Error(`no database at ${file} (set DATA_DIR to the server's data folder, or DATABASE_URL)`);
  }
  const db = connect(e);
  try {
    if (opts.create) await migrate(db);
    else await db.kysely.selectFrom('settings').select('name').limit(1).execute();
  } catch (e) {
    await db.close();
    const message = (e as Error).message;
    if (/no such table|does not exist/.test(message)) throw new Error('the database has no Foyer tables yet: run `foyer migrate` first');
    throw e;
  }
  return db;
}

/**
 * Runs `fn` with the database open, and closes it whatever happens. `sealed`: the command reads or
 * writes secrets sealed under the deployment secret, which must be the servers' (FOYER_SECRET,
 * FOYER_SECRET_FILE or the one in DATA_DIR; a tool never makes one).
 */
export async function withDatabase<T>(opts: { create: boolean; sealed?: boolean }, fn: (db: Db, e: Env) => Promise<T>): Promise<T> {
  const e = env();
  const db = await openDatabase(e, opts);
  try {
    if (opts.sealed) await checkVaultOpens(db.kysely, installVault(resolveDeploymentSecret(e, { create: false }).vault));
    return await fn(db, e);
  } finally {
    await db.close();
  }
}
