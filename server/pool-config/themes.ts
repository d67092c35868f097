import fs from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { PoolConfig } from '../config/seed';
import type { Database } from '../db/schema';
import { log } from '../log';
import { prepareThemes, ThemeError, type PreparedTheme } from '../pool/themes/prepare';
import { assetMime, storedThemes } from '../pool/themes/store';
import { PoolConfigError } from './plan';

/**
 * The file's themes checked against the database (without one: against nothing stored): asset
 * paths read relative to the config file, CSS, chains and contrast checked. A problem is a
 * PoolConfigError naming the field (`themes.0.logo.light`); accepted low contrast is logged.
 */
export async function prepareConfigThemes(config: PoolConfig, db?: Kysely<Database>): Promise<PreparedTheme[]> {
  if (config.seed.themes.length === 0) return [];
  const { baseDir } = config;
  try {
    const prepared = await prepareThemes(config.seed.themes, {
      stored: db ? await storedThemes(db) : new Map(),
      storedAsset: async (sha) => (db ? assetMime(db, sha) : undefined),
      readFile: baseDir ? (relative) => fs.readFileSync(path.join(baseDir, relative)) : undefined,
    });
    for (const w of prepared.flatMap((p) => p.warnings)) log.warn({ source: config.source }, w);
    return prepared;
  } catch (e) {
    if (e instanceof ThemeError) throw new PoolConfigError(config.source, ['themes', ...e.path], e.message);
    throw e;
  }
}
