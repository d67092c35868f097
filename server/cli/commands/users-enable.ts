import { providerRevocation } from '../../oidc/revocation';
import { setEnabledByName } from '../../pool';
import { withDatabase, type CommandSpec } from '../command';

/** `users disable` and `users enable`: one spec, two directions. */
function usersEnabledCommand(enabled: boolean): CommandSpec {
  return {
    summary: enabled ? 'Let a disabled user sign in again' : 'Disable a user: no sign-in, and every session, grant and token ends',
    usage: '<username>',
    help: enabled
      ? `Lets a disabled user sign in again with their credentials. Exit 0 when done, 1 when there is
no such user or on failure.`
      : `Refuses every sign-in of the user (answered like a wrong password, so nobody learns the
password was right) and ends every browser session, grant, authorization code, access token and
refresh token they hold, on every instance at once. Exit 0 when done, 1 when there is no such user
or on failure.`,
    positionals: [{ name: 'username', required: true }],
    options: {},
    async run({ positionals, out }) {
      const [username] = positionals;
      const done = await withDatabase({ create: false }, (db) =>
        setEnabledByName({ db: db.kysely, revocation: providerRevocation(), now: Date.now }, username, enabled),
      );
      if (!done) throw new Error(`no user named "${username}"`);
      out.write(enabled ? `Enabled ${username}.\n` : `Disabled ${username}: every session, grant and token ended.\n`);
    },
  };
}

export const usersDisableCommand = usersEnabledCommand(false);
export const usersEnableCommand = usersEnabledCommand(true);
