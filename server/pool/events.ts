import type { PoolContext } from './context';
import { hit, type Limit } from './rate-limit';

const MINUTE = 60_000;

/**
 * Events written for requests nobody is signed in to (a refused federated sign-in) cost an
 * anonymous caller nothing: without a bound, a loop of bad requests fills the table. Past the
 * limit the event is dropped (the log line the caller writes stays).
 */
export const anonymousEventLimits = {
  /** From one client address. */
  perIp: { max: 30, windowMs: 10 * MINUTE },
  /** Of one type from everyone (many addresses at once). */
  perType: { max: 1000, windowMs: 10 * MINUTE },
} satisfies Record<string, Limit>;

/** Records an event caused by an unauthenticated request, within the limits; false when dropped. */
export async function recordAnonymousEvent(ctx: PoolContext, e: { type: string; ip: string; detail: unknown }): Promise<boolean> {
  if (!(await withinAnonymousLimits(ctx, e.type, e.ip))) return false;
  await insertEvent(ctx, { ...e, userId: null });
  return true;
}

/** Counts an event against the anonymous limits; false past them. */
export async function withinAnonymousLimits(ctx: PoolContext, type: string, ip: string): Promise<boolean> {
  if (!(await hit(ctx, `events:ip:${ip || 'unknown'}`, anonymousEventLimits.perIp)).allowed) return false;
  return (await hit(ctx, `events:type:${type}`, anonymousEventLimits.perType)).allowed;
}

export async function insertEvent(ctx: PoolContext, e: { type: string; userId: string | null; ip: string | null; detail: unknown }): Promise<void> {
  await ctx.db.insertInto('events').values({ type: e.type, user_id: e.userId, ip: e.ip || null, detail: JSON.stringify(e.detail), created_at: ctx.now() }).execute();
}

/** Retention: events older than `days` go (EVENTS_RETENTION_DAYS). */
export async function sweepEvents(ctx: PoolContext, days: number): Promise<number> {
  const done = await ctx.db.deleteFrom('events').where('created_at', '<', ctx.now() - days * 24 * 60 * MINUTE).executeTakeFirst();
  return Number(done.numDeletedRows);
}
