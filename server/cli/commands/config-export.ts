import fs from 'node:fs';
import path from 'node:path';
import { parsePoolConfig } from '../../config/seed';
import { exportPoolConfig } from '../../pool-config/export';
import { withDatabase, type CommandSpec } from '../command';

/** Written next to the target, then renamed: a reader never sees half a file. Owner-only: it holds password hashes. */
function writeAtomically(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, text, { mode: 0o600 });
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

export const configExportCommand: CommandSpec = {
  summary: 'Write the pool as a pool config (the FOYER_CONFIG format)',
  usage: '[--include-secrets] [--output file]',
  help: `Writes the pool settings, identity providers, clients (not foyer-account), groups and users
(attributes, groups, status, password hashes, linked identities, sub), themes (their images
and fonts as data: URLs, so the file applies to an empty database) and custom text as JSON, to stdout or to
--output (mode 0600). Provider secrets and keys are a placeholder unless --include-secrets;
client secrets always are (only their hashes are stored). Applying the placeholder keeps the
secret stored under that name. Needs the servers' deployment secret (FOYER_SECRET).
Not exported: authenticator apps, passkeys, recovery codes, remembered browsers, sessions and
tokens, signing keys, pending codes, events. Exit 0 when written, 1 otherwise.`,
  positionals: [],
  options: { 'include-secrets': { type: 'boolean' }, output: { type: 'string' } },
  async run({ options, out }) {
    const exported = await withDatabase({ create: false, sealed: true }, (db) => exportPoolConfig(db.kysely, { includeSecrets: options['include-secrets'] === true }));
    const text = `${JSON.stringify(exported, null, 2)}\n`;
    try {
      parsePoolConfig(exported, 'export');
    } catch (e) {
      // Data the admin console or older versions let in; say so rather than write a file that fails later.
      process.stderr.write(`warning: the export will not apply as it is: ${(e as Error).message}\n`);
    }
    if (typeof options.output === 'string') {
      writeAtomically(options.output, text);
      out.write(`Wrote ${options.output}.\n`);
    } else {
      out.write(text);
    }
  },
};
