import { applyPoolConfig } from '../../pool-config/apply';
import { formatPlan } from '../../pool-config/report';
import { withDatabase, type CommandSpec } from '../command';
import { configFromArgs } from './config-file';

export const configApplyCommand: CommandSpec = {
  summary: 'Apply a pool config to the database (as every start does with FOYER_CONFIG)',
  usage: '[file] [--prune]',
  help: `Migrates the database, then makes the pool settings, identity providers, clients and groups
the file names what it says, and creates its users that do not exist yet (existing users are left
alone), in one transaction. With --prune, the clients, groups and providers of a section the file
has but does not list are removed (never users, never the built-in foyer-account client).
A secret written as the export's placeholder keeps the stored one.
Needs the servers' deployment secret (FOYER_SECRET): secrets are stored sealed or hashed under it.
Exit 0 when applied, 1 otherwise.`,
  positionals: [{ name: 'file', required: false }],
  options: { prune: { type: 'boolean' } },
  async run({ positionals, options, out }) {
    const config = configFromArgs(positionals);
    const plan = await withDatabase({ create: true, sealed: true }, (db) => applyPoolConfig(db, config, { prune: options.prune === true }));
    out.write(`Applied ${config.source}:\n${formatPlan(plan)}`);
  },
};
