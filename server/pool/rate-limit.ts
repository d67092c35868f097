import { sql } from 'kysely';
import type { PoolContext } from './context';

export interface Limit {
  max: number;
  windowMs: number;
}

/** Fixed-window counter kept in the database so every instance shares it. */
export async function hit(ctx: PoolContext, key: string, limit: Limit): Promise<{ allowed: boolean; retryAfter: number }> {
  const now = ctx.now();
  const fresh = now - limit.windowMs;
  const row = await ctx.db
    .insertInto('rate_limits')
    .values({ key, window_start: now, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`case when rate_limits.window_start <= ${fresh} then 1 else rate_limits.count + 1 end`,
        window_start: sql`case when rate_limits.window_start <= ${fresh} then ${now} else rate_limits.window_start end`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  const allowed = Number(row.count) <= limit.max;
  return { allowed, retryAfter: allowed ? 0 : Math.max(1, Math.ceil((Number(row.window_start) + limit.windowMs - now) / 1000)) };
}

const MIN = 60_000;
/** Per-user limits on codes; per-IP limits come from the pool settings. */
export const codeLimits = {
  sendsPerUser: { max: 5, windowMs: 15 * MIN },
  resendGap: { max: 1, windowMs: 30_000 },
} satisfies Record<string, Limit>;

export async function perIp(ctx: PoolContext, action: 'sign_in' | 'sign_up' | 'forgot_password', ip: string) {
  const r = (await ctx.settings()).rate_limits;
  const limit: Limit =
    action === 'sign_in'
      ? { max: r.sign_in_per_ip_per_5_minutes, windowMs: 5 * MIN }
      : action === 'sign_up'
        ? { max: r.sign_up_per_ip_per_hour, windowMs: 60 * MIN }
        : { max: r.forgot_password_per_ip_per_hour, windowMs: 60 * MIN };
  return hit(ctx, `ip:${action}:${ip}`, limit);
}
