import { clientRequiresMfa } from '../account/client';
import { findClient } from '../clients';
import type { PoolContext } from '../context';

/**
 * Whether the app this sign-in is for (`ctx.clientId`, bound by `pool.flow.run`) requires a
 * second factor whatever the pool's mode: its `require_mfa`, and always the admin console.
 */
export async function appRequiresMfa(ctx: PoolContext): Promise<boolean> {
  if (!ctx.clientId) return false;
  return clientRequiresMfa(ctx.clientId, await findClient(ctx.db, ctx.clientId));
}
