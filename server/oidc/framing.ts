import type Provider from 'oidc-provider';
import type { FramingTarget } from '../http/embedding';
import type { Pool } from '../pool';

/**
 * The origins allowed to frame a step of a sign-in: its client's `frame_ancestors` (none when the
 * interaction or client is unknown). A screen knows its client only through its interaction.
 */
export async function frameAncestorsFor(provider: Provider, pool: Pool, target: FramingTarget): Promise<string[]> {
  let clientId: unknown;
  if ('uid' in target) clientId = (await provider.Interaction.find(target.uid))?.params?.client_id;
  else clientId = target.clientId;
  if (typeof clientId !== 'string') return [];
  return (await pool.clients.find({ clientId }))?.frame_ancestors ?? [];
}
