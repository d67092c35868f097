import type Provider from 'oidc-provider';
import { metrics } from '../metrics';
import { finishLogin } from '../oidc/interaction';
import type { Pool } from '../pool';
import type { UpstreamSession } from './sessions';

/**
 * Every finished sign-in (password, second factor, federated) ends here: a waiting identity the
 * user proved they own is linked, the interaction is finished with a login time we keep, and the
 * provider session it came from is remembered for federated sign-out. Returns where to go next.
 */
export async function finishSignIn(
  deps: { provider: Provider; pool: Pool },
  headers: Record<string, string>,
  uid: string,
  done: { userId: string; amr: string[] },
  upstream?: UpstreamSession,
): Promise<string | undefined> {
  const linked = await deps.pool.federation.link.complete(uid, done);
  const ts = Math.floor(deps.pool.ctx.now() / 1000);
  const to = await finishLogin(deps.provider, headers, uid, { accountId: done.userId, amr: linked.amr, ts });
  await deps.pool.flow.end(uid);
  if (to) metrics.signIns.inc({ outcome: 'success' });
  const session = upstream ?? linked.upstream;
  if (to && session) await deps.pool.federation.rememberUpstreamSession(done.userId, ts, session);
  return to;
}
