import { sql } from 'kysely';
import type { PoolContext } from '../context';
import { failureEventTypes, SIGN_IN, signInEventTypes } from '../sign-in-events';
import { createAccountSession, endAccountSession, findAccountSession, type AccountSession } from './sessions';

/**
 * The admin console's sessions and who may use them (issue 12). A console session is an account
 * session of its own kind (server/pool/account/sessions.ts): it dies with the user's grant, a
 * disabled account or "sign out everywhere", like the account pages'.
 */

/** Why the console turns a signed-in user away. */
export type ConsoleRefusal = 'not_admin' | 'no_mfa';

/** The sign-in proved a second factor: the provider adds `mfa` to `amr` (server/oidc/interaction.ts). */
export const usedMfa = (amr: readonly string[]): boolean => amr.includes('mfa');

/**
 * Whether this user, signed in with `amr`, may use the console: a member of the pool's admin group
 * (read at every request, so leaving the group shuts the door at once) who proved a second factor.
 */
export async function consoleRefusal(ctx: PoolContext, userId: string, amr: readonly string[]): Promise<ConsoleRefusal | undefined> {
  if (!(await isConsoleAdmin(ctx, userId))) return 'not_admin';
  if (!usedMfa(amr)) return 'no_mfa';
  return undefined;
}

/** A member of the pool's admin group (`pool.admin_group`). */
export async function isConsoleAdmin(ctx: PoolContext, userId: string): Promise<boolean> {
  const { admin_group: group } = await ctx.settings();
  const member = await ctx.db.selectFrom('user_groups').select('user_id').where('user_id', '=', userId).where('group_name', '=', group).executeTakeFirst();
  return member !== undefined;
}

/** The session behind a console cookie, and whether its user may still use the console. */
export async function findConsoleSession(ctx: PoolContext, token: string | undefined): Promise<{ session: AccountSession; refusal?: ConsoleRefusal } | undefined> {
  const session = await findAccountSession(ctx, token, 'console');
  if (!session) return undefined;
  const refusal = await consoleRefusal(ctx, session.userId, session.amr);
  return refusal ? { session, refusal } : { session };
}

const DAY = 24 * 3600_000;

/** One UTC day of the overview: finished sign-ins, and refused ones (first or second factor). */
export interface OverviewDay {
  /** YYYY-MM-DD, UTC. */
  day: string;
  signIns: number;
  failures: number;
}

/**
 * The overview screen's numbers: users, live browser sessions, and sign-ins and failures for each
 * of the last `days` days (UTC, newest first, days without any included), counted in the database.
 */
export async function consoleOverview(ctx: PoolContext, days: number): Promise<{ users: number; sessions: number; perDay: OverviewDay[] }> {
  const users = await ctx.db.selectFrom('users').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst();
  const sessions = await ctx.revocation.liveSessions(ctx.db);
  const today = Math.floor(ctx.now() / DAY);
  const since = (today - (days - 1)) * DAY;
  // Integer division on both databases (bigint / integer on PostgreSQL, integer / integer on SQLite).
  const dayOf = sql<number>`created_at / ${sql.lit(DAY)}`;
  const rows = await ctx.db
    .selectFrom('events')
    .select((eb) => [dayOf.as('day'), 'type', eb.fn.countAll<number | string>().as('n')])
    .where('created_at', '>=', since)
    .where('type', 'in', [...signInEventTypes])
    .groupBy([dayOf, 'type'])
    .execute();
  const perDay: OverviewDay[] = Array.from({ length: days }, (_, i) => ({ day: new Date((today - i) * DAY).toISOString().slice(0, 10), signIns: 0, failures: 0 }));
  for (const r of rows) {
    const row = perDay[today - Number(r.day)];
    if (!row) continue;
    if (r.type === SIGN_IN) row.signIns += Number(r.n);
    else if (failureEventTypes.includes(r.type)) row.failures += Number(r.n);
  }
  return { users: Number(users?.n ?? 0), sessions, perDay };
}

export const consoleSessions = (ctx: PoolContext) => ({
  create: (s: Parameters<typeof createAccountSession>[1]) => createAccountSession(ctx, s, 'console'),
  find: (o: { token: string | undefined }) => findConsoleSession(ctx, o.token),
  end: (o: { id: string }) => endAccountSession(ctx, o.id),
});
