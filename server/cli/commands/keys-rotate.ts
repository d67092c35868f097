import { MAX_ACTIVATE_AFTER_SECONDS as MAX_SECONDS, rotateSigningKey } from '../../oidc/keys';
import { UsageError, withDatabase, type CommandSpec } from '../command';

const DEFAULT_SECONDS = 300;

export const keysRotateCommand: CommandSpec = {
  summary: 'Make a new signing key, published at once and used after a delay',
  usage: '[--activate-after <seconds>] [--json]',
  help: `Adds a new signing key: it is in the JWKS at once, and tokens are signed with it after
--activate-after seconds (default ${DEFAULT_SECONDS}), so relying parties that cache the JWKS know
it before they see it. The old key stays published until the tokens it signed expire.
The servers' deployment secret (FOYER_SECRET) is needed: the new key is sealed under it.
--json prints { "kid", "activatesAt" } (epoch milliseconds) instead of a sentence.
Exit 0 when done, 1 on failure, 2 on a wrong argument.`,
  positionals: [],
  options: { 'activate-after': { type: 'string' }, json: { type: 'boolean' } },
  async run({ options, out }) {
    const raw = options['activate-after'];
    const activateAfterSeconds = typeof raw === 'string' ? Number(raw) : DEFAULT_SECONDS;
    if (typeof raw === 'string' && (!/^[0-9]+$/.test(raw) || activateAfterSeconds > MAX_SECONDS)) {
      throw new UsageError(`--activate-after must be a whole number of seconds from 0 to ${MAX_SECONDS}`);
    }
    const { kid, activatesAt } = await withDatabase({ create: false, sealed: true }, (db) => rotateSigningKey(db.kysely, { activateAfterSeconds }));
    if (options.json) out.write(`${JSON.stringify({ kid, activatesAt })}\n`);
    else out.write(`New signing key ${kid} published; tokens are signed with it from ${new Date(activatesAt).toISOString()}.\n`);
  },
};
