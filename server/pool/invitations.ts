import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { defaultLocale, matchLocale } from '../../i18n/locales';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { queueMail } from './messages';
import { hashPassword } from './passwords/hash';
import { perIp } from './rate-limit';
import { policyProblem, verifyEmailOf } from './recovery';
import { inTransaction } from './transaction';
import { getUserRow, updateUser, type UserRow } from './users';

/**
 * Invitations (Cognito's AdminCreateUser message, Keycloak's "set your password" link): an admin
 * creates a user without a password and Foyer mails them a one-time link to choose one. Kept in
 * the codes table (purpose `invitation`, one live row per user: a new one replaces the earlier);
 * the link carries the row's id (`link`) and a 256-bit secret (`token`) of which only an HMAC is stored.
 */
export const INVITATION_TTL_DAYS = 7;
const TTL_MS = INVITATION_TTL_DAYS * 24 * 60 * 60_000;
const PURPOSE = 'invitation';

const digest = (ctx: PoolContext, id: string, secret: string) => createHmac('sha256', ctx.secret).update(`invitation:${id}:${secret}`).digest();

/** A user waiting for an invitation: no password of ours yet, and an address to mail it to. */
export const invitable = (row: UserRow) => row.password_hash === null && row.status !== 'EXTERNAL_PROVIDER' && !!row.email;

/** The screen's language: the user's `locale` attribute when Foyer has it, else the pool default. */
function localeOf(row: UserRow): string {
  let stored: unknown;
  try {
    stored = (JSON.parse(row.attributes) as Record<string, unknown>).locale;
  } catch {
    stored = undefined;
  }
  // Matched as the mail's own language is (messages.ts: ar-EG → ar), so the link opens the screen in the mail's language.
  return (typeof stored === 'string' ? matchLocale(stored) : undefined) ?? defaultLocale;
}

/** A new link for `row` (the earlier one dies), mailed in the same transaction. The caller checks `invitable`. */
export async function issueInvitation(ctx: PoolContext, row: UserRow, publicUrl: string): Promise<void> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const now = ctx.now();
  const locale = localeOf(row);
  const url = `${publicUrl}/${locale}/invitation?${new URLSearchParams({ link: id, token: secret }).toString()}`;
  await inTransaction(ctx, async (tx) => {
    await tx.db.deleteFrom('codes').where('user_id', '=', row.id).where('purpose', '=', PURPOSE).execute();
    await tx.db
      .insertInto('codes')
      .values({ id, user_id: row.id, purpose: PURPOSE, code_hash: digest(ctx, id, secret).toString('base64url'), attempts: 0, expires_at: now + TTL_MS, consumed_at: null, created_at: now })
      .execute();
    await queueMail(tx, row.email!, { kind: 'invitation', username: row.username, url, days: INVITATION_TTL_DAYS }, locale);
  });
}

/** Whether `row` has a link that still works (the console offers "Resend" either way while the user is invitable). */
export async function invitationExpiry(ctx: PoolContext, userId: string): Promise<number | undefined> {
  const row = await ctx.db.selectFrom('codes').select('expires_at').where('user_id', '=', userId).where('purpose', '=', PURPOSE).where('consumed_at', 'is', null).executeTakeFirst();
  return row && Number(row.expires_at) > ctx.now() ? Number(row.expires_at) : undefined;
}

export type Invitation = { id: string; user: UserRow };

/**
 * The invitation a token names, when it is right, unused, unexpired, and its user still enabled
 * and without a password; undefined otherwise (whichever it was: the screen says the same).
 * Reading it changes nothing (mail scanners open links).
 */
export async function readInvitation(ctx: PoolContext, link: { id: string; token: string }): Promise<Invitation | undefined> {
  const { id, token: secret } = link;
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const row = await ctx.db.selectFrom('codes').selectAll().where('id', '=', id).where('purpose', '=', PURPOSE).executeTakeFirst();
  const expected = row ? Buffer.from(row.code_hash, 'base64url') : digest(ctx, randomUUID(), 'none');
  const given = digest(ctx, id, secret);
  if (!row || expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  if (row.consumed_at !== null || Number(row.expires_at) <= ctx.now()) return undefined;
  const user = await getUserRow(ctx, row.user_id);
  if (!user || user.enabled !== 1 || user.password_hash !== null) return undefined;
  return { id, user };
}

/**
 * The invited user's password, under the pool's policy: set, the user CONFIRMED with the e-mail
 * verified (the link reached the mailbox), the link spent. Limited per address as sign-ins are;
 * of concurrent uses one wins.
 */
export async function acceptInvitation(ctx: PoolContext, input: { id: string; token: string; password: string; ip: string }): Promise<{ accepted: true } | PoolError> {
  const limited = await perIp(ctx, 'sign_in', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });
  const found = await readInvitation(ctx, input);
  if (!found) return fail('invitation_invalid');
  const problem = await policyProblem(ctx, input.password, found.user);
  if (problem) return problem;
  const passwordHash = await hashPassword(input.password);
  // A refusal inside the transaction rolls it back: the link is spent only with the password set.
  const refused = (e: PoolError) => Object.assign(new Error(e.error), { refused: e });
  try {
    return await inTransaction(ctx, async (tx) => {
      const spent = await tx.db
        .updateTable('codes')
        .set({ consumed_at: tx.now() })
        .where('id', '=', found.id)
        .where('consumed_at', 'is', null)
        .where('expires_at', '>', tx.now())
        .executeTakeFirst();
      if (Number(spent.numUpdatedRows) !== 1) throw refused(fail('invitation_invalid'));
      if (!(await verifyEmailOf(tx, found.user.id))) throw refused(fail('email_taken'));
      await updateUser(tx, found.user.id, { password_hash: passwordHash, status: 'CONFIRMED' });
      return { accepted: true } as const;
    });
  } catch (e) {
    if (e instanceof Error && 'refused' in e) return e.refused as PoolError;
    throw e;
  }
}
