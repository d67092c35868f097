import { metrics } from '../metrics';
import type { PoolContext } from './context';
import { endFlow } from './flow';
import { appRequiresMfa } from './mfa/app-requirement';
import { recordSignIn } from './sign-in-events';
import { inTransaction } from './transaction';

/** Who finished signing in, and how (`amr`). */
export type SignedIn = { userId: string; amr: string[] };

/**
 * Another layer's part in finishing a sign-in, wired by server/runtime.ts (federation links an
 * outside identity the user proved they own, which adds `fed`). `after` runs once the sign-in has
 * finished, with its login time in seconds.
 */
export type FinishHook = (uid: string, done: SignedIn) => Promise<{ amr: string[]; after?: (loginTs: number) => Promise<void> }>;

/** The protocol's part: finishes the interaction as this login; where the browser goes next, or undefined when it expired. */
export type CompleteLogin = (login: { accountId: string; amr: string[]; ts: number }) => Promise<string | undefined>;

/**
 * Every finished sign-in ends here, whatever its first factor (password, passkey, outside
 * provider): the hooks run, the interaction is finished with a login time we keep, the flow ends
 * and the sign-in is an event. `clientId`: the app signed in to; one that requires MFA is never
 * finished without it (the gate asks for it: this is the last check, should any path miss it).
 */
export async function finishSignIn(
  ctx: PoolContext,
  uid: string,
  done: SignedIn,
  o: { complete: CompleteLogin; hooks: FinishHook[]; clientId?: string; ip?: string },
): Promise<string | undefined> {
  let amr = done.amr;
  const after: Array<(loginTs: number) => Promise<void>> = [];
  for (const hook of o.hooks) {
    const r = await hook(uid, { userId: done.userId, amr });
    amr = r.amr;
    if (r.after) after.push(r.after);
  }
  if (!amr.includes('mfa') && (await appRequiresMfa({ ...ctx, clientId: o.clientId }, done.userId))) return undefined;
  const ts = Math.floor(ctx.now() / 1000);
  const to = await o.complete({ accountId: done.userId, amr, ts });
  await inTransaction(ctx, async (tx) => {
    await endFlow(tx, uid);
    if (to) await recordSignIn(tx, { userId: done.userId, amr, clientId: o.clientId, ip: o.ip });
  });
  if (!to) return undefined;
  metrics.signIns.inc({ outcome: 'success' });
  for (const run of after) await run(ts);
  return to;
}
