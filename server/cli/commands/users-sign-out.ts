import { providerRevocation } from '../../oidc/revocation';
import { signOutEverywhere } from '../../pool';
import { withDatabase, type CommandSpec } from '../command';

export const usersSignOutCommand: CommandSpec = {
  summary: 'Sign a user out everywhere: every session, grant and token ends',
  usage: '<username>',
  help: `Ends every browser session of the user, every app's grant, and every authorization code,
access token and refresh token issued to them, on every instance at once (for a lost device or a
suspected compromise). The user signs in again with their password; their apps must too.
Exit 0 when done, 1 when there is no such user or on failure.`,
  positionals: [{ name: 'username', required: true }],
  options: {},
  async run({ positionals, out }) {
    const [username] = positionals;
    const done = await withDatabase({ create: false }, (db) => signOutEverywhere({ db: db.kysely, revocation: providerRevocation() }, username));
    if (!done) throw new Error(`no user named "${username}"`);
    out.write(`Signed ${username} out everywhere: ${done.sessionsEnded} browser session(s) ended, with every grant and token.\n`);
  },
};
