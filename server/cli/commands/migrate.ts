import { withDatabase, type CommandSpec } from '../command';

export const migrateCommand: CommandSpec = {
  summary: 'Bring the database up to this version and exit',
  usage: '',
  help: `Runs the migrations on the server's database (DATABASE_URL, or DATA_DIR/foyer.db), which is
made if need be. Safe to run again, and beside running instances. Exit 0 when done, 1 on failure.`,
  positionals: [],
  options: {},
  async run({ out }) {
    await withDatabase({ create: true }, async () => undefined);
    out.write('Database migrated.\n');
  },
};
