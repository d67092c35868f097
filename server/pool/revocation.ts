import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { PoolContext } from './context';

/**
 * What the pool needs from the protocol layer to end a user's sign-ins. The pool cannot know how
 * the provider stores its sessions, grants, codes and tokens; server/runtime.ts (and the CLI) wire
 * server/oidc's implementation in. Each call runs on the `db` given, so it joins the caller's
 * transaction.
 */
export interface ProviderRevocation {
  /**
   * Deletes every provider artifact of the user. `keepGrantId`: the browser session holding this
   * grant stays, with its grants and their tokens. Answers the grants kept and the sessions ended.
   */
  revokeUser(db: Kysely<Database>, userId: string, opts: { keepGrantId?: string }): Promise<{ keptGrants: string[]; sessionsEnded: number }>;
  /** Whether a live browser session of the user signed in with any of these `amr` values. */
  reliedOn(db: Kysely<Database>, userId: string, amr: string[]): Promise<boolean>;
  /** The user's live browser sessions (the account pages list them). */
  sessionsOf(db: Kysely<Database>, userId: string): Promise<BrowserSession[]>;
  /** Ends one browser session: its grants, every code and token issued under them, and the session. */
  endSession(db: Kysely<Database>, session: BrowserSession): Promise<void>;
  /** Whether this grant still exists and has not expired. */
  grantLive(db: Kysely<Database>, grantId: string): Promise<boolean>;
  /** How many browser sessions are live in the whole pool (the console's overview). */
  liveSessions(db: Kysely<Database>): Promise<number>;
}

/** A browser signed in to the pool, as the provider keeps it. */
export interface BrowserSession {
  /** The provider's session id: a browser's bearer secret, never shown. */
  id: string;
  /** When it signed in, in seconds (as the provider records it). */
  loginTs: number | undefined;
  /** The apps it signed in to (client ids). */
  clients: string[];
  /** The grants it holds, one per app. */
  grants: string[];
}

/** A pool built without a provider (unit tests, tools that issue no tokens): nothing of it to end. */
export const noProvider: ProviderRevocation = {
  revokeUser: async () => ({ keptGrants: [], sessionsEnded: 0 }),
  reliedOn: async () => false,
  sessionsOf: async () => [],
  endSession: async () => {},
  grantLive: async () => false,
  liveSessions: async () => 0,
};

type RevokeCtx = Pick<PoolContext, 'db' | 'revocation'>;

/** In the caller's transaction, or in one of its own. */
const atomically = <T>(db: Kysely<Database>, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db) : db.transaction().execute(fn);

/**
 * Ends every session, grant, code and token of the user, and the account pages' own sessions:
 * after a reset, a password change, a disabled account, a removed factor, or an admin's "sign out
 * everywhere". `keepGrantId`: this browser stays signed in (the password change's choice).
 * Answers the number of browser sessions ended.
 */
export async function revokeEverything(ctx: RevokeCtx, userId: string, opts: { keepGrantId?: string } = {}): Promise<number> {
  const run = async (db: Kysely<Database>) => {
    const { keptGrants, sessionsEnded } = await ctx.revocation.revokeUser(db, userId, opts);
    let own = db.deleteFrom('account_sessions').where('user_id', '=', userId);
    if (keptGrants.length > 0) own = own.where('grant_id', 'not in', keptGrants);
    await own.execute();
    return sessionsEnded;
  };
  return atomically(ctx.db, run);
}

/** The `amr` values a sign-in with each removable factor carries (e-mailed codes and TOTP share `otp`). */
const amrOf = {
  totp: ['otp'],
  email: ['otp'],
  sms: ['sms'],
  webauthn: ['hwk', 'swk'],
  federation: ['fed'],
} satisfies Record<string, string[]>;

/**
 * A factor was removed: if a browser signed in with it (its `amr`), whoever holds such a session
 * may hold only that factor, so every sign-in of the user ends (this browser aside).
 */
export async function revokeIfReliedOn(ctx: RevokeCtx, userId: string, factor: keyof typeof amrOf, keepGrantId?: string): Promise<number> {
  if (!(await ctx.revocation.reliedOn(ctx.db, userId, amrOf[factor]))) return 0;
  return revokeEverything(ctx, userId, { keepGrantId });
}

const userNamed = (db: Kysely<Database>, username: string) =>
  db.selectFrom('users').select('id').where('username_lower', '=', username.toLowerCase()).executeTakeFirst();

/** An admin's "sign out everywhere", by user name; undefined when there is no such user. */
export async function signOutEverywhere(ctx: RevokeCtx, username: string): Promise<{ userId: string; sessionsEnded: number } | undefined> {
  const user = await userNamed(ctx.db, username);
  if (!user) return undefined;
  return { userId: user.id, sessionsEnded: await revokeEverything(ctx, user.id) };
}

/** Disables or enables a user; disabling ends every sign-in they have. */
export async function setUserEnabled(ctx: RevokeCtx & Pick<PoolContext, 'now'>, userId: string, enabled: boolean): Promise<boolean> {
  const run = async (db: Kysely<Database>) => {
    const done = await db.updateTable('users').set({ enabled: enabled ? 1 : 0, updated_at: ctx.now() }).where('id', '=', userId).executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return false;
    if (!enabled) await revokeEverything({ ...ctx, db }, userId);
    return true;
  };
  return atomically(ctx.db, run);
}

/** An admin disables (ending every sign-in) or enables a user, by user name; false when there is no such user. */
export async function setEnabledByName(ctx: RevokeCtx & Pick<PoolContext, 'now'>, username: string, enabled: boolean): Promise<boolean> {
  const user = await userNamed(ctx.db, username);
  return !!user && (await setUserEnabled(ctx, user.id, enabled));
}
