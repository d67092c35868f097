import { CONSOLE_CLIENT_ID } from '../account/client';
import { isConsoleAdmin } from '../account/console';
import { findClient } from '../clients';
import type { PoolContext } from '../context';

/**
 * Whether the app this sign-in is for (`ctx.clientId`, bound by `pool.flow.run`) requires a
 * second factor of `userId` whatever the pool's mode: the client's `require_mfa`; for the admin
 * console, always of its admins. Others who sign in there are only turned away (not_admin), so
 * they are not made to enrol a factor for a console they may not use.
 */
export async function appRequiresMfa(ctx: PoolContext, userId: string): Promise<boolean> {
  if (!ctx.clientId) return false;
  if (ctx.clientId === CONSOLE_CLIENT_ID) return isConsoleAdmin(ctx, userId);
  return (await findClient(ctx.db, ctx.clientId))?.require_mfa === true;
}
