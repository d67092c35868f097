import fs from 'node:fs';
import { applyPoolConfig } from '../../pool-config/apply';
import { planConfig } from '../../pool-config/plan';
import { formatPlan } from '../../pool-config/report';
import { emptyState } from '../../pool-config/state';
import { prepareConfigThemes } from '../../pool-config/themes';
import { databaseFile, env, withDatabase, type CommandSpec } from '../command';
import { configFromArgs } from './config-file';

export const configCheckCommand: CommandSpec = {
  summary: 'Validate a pool config and show what applying it would change',
  usage: '[file] [--prune]',
  help: `Reads the file (default: FOYER_CONFIG), validates it, and compares it with the database
without writing: what would be created, updated (with the fields), left unchanged, and what the
file's sections do not name (removed only with --prune). Secrets are never shown.
Without a database yet (DATA_DIR/foyer.db missing), compares with an empty pool.
Exit 0 when the file is valid and could be applied, 1 otherwise (the message names the field).`,
  positionals: [{ name: 'file', required: false }],
  options: { prune: { type: 'boolean' } },
  async run({ positionals, options, out }) {
    const config = configFromArgs(positionals);
    const prune = options.prune === true;
    const file = databaseFile(env());
    if (file && !fs.existsSync(file)) {
      out.write(`${config.source} is valid. There is no database at ${file} yet; applying it would:\n${formatPlan(planConfig(emptyState(), config, { prune, themes: await prepareConfigThemes(config) }))}`);
      return;
    }
    const plan = await withDatabase({ create: false, sealed: true }, (db) => applyPoolConfig(db, config, { dryRun: true, prune }));
    out.write(`${config.source} is valid. Applying it would:\n${formatPlan(plan)}`);
  },
};
