import { checkCode, issueDecoyCode } from './codes';
import { sendConfirmationCode } from './confirmation';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { maskEmail, type FlowOutcome, type FlowStep } from './flow';
import { releaseAttempt } from './attempts';
import { forgetDevices } from './mfa/devices';
import { codeTemplates, queueDecoyMail, queueMail, sendCode } from './messages';
import { hashPassword } from './passwords/hash';
import { checkPassword } from './passwords/policy';
import { codeLimits, hit, perIp } from './rate-limit';
import { revokeEverything } from './revocation';
import { inTransaction } from './transaction';
import { findUserRowByAlias, getUserRow, updateUser } from './users';

type Step<K extends FlowStep['step']> = Extract<FlowStep, { step: K }>;

export async function policyProblem(ctx: PoolContext, password: string, user: { username?: string; email?: string | null }) {
  const problem = checkPassword(password, (await ctx.settings()).password_policy, {
    username: user?.username,
    email: user?.email ?? undefined,
  });
  if (!problem) return null;
  const params: Record<string, number> = 'min' in problem ? { min: problem.min } : 'max' in problem ? { max: problem.max } : {};
  return fail(problem.code, { field: 'password', params });
}

/**
 * Confirms a new account with the code mailed (or, without an e-mail, texted) to it, then signs
 * the user in, as the hosted UI does. The code proves that address or number.
 */
export async function confirmAccount(ctx: PoolContext, step: Step<'confirm-account'>, code: string): Promise<FlowOutcome | PoolError> {
  if (!step.userId) return fail('invalid_code', { field: 'code' });
  const wrong = await checkCode(ctx, { userId: step.userId }, 'confirm_sign_up', code);
  if (wrong !== 'ok') return wrong;
  // Only the mailbox's (phone's) owner gets this far, so saying it is taken reveals nothing new.
  const row = await getUserRow(ctx, step.userId);
  if (row?.email || !row?.phone_number) {
    if (!(await verifyEmailOf(ctx, step.userId))) return fail('email_taken');
  } else if (!(await verifyPhoneOf(ctx, row.id, row.phone_number))) return fail('phone_taken');
  await updateUser(ctx, step.userId, { status: 'CONFIRMED' });
  return { done: { userId: step.userId, amr: ['pwd'] } };
}

/**
 * Marks a user's e-mail verified, unless another account already holds it verified: a verified
 * e-mail is a sign-in name and must stay unique (Cognito's AliasExistsException).
 */
export async function verifyEmailOf(ctx: PoolContext, userId: string): Promise<boolean> {
  const row = await getUserRow(ctx, userId);
  if (!row?.email_lower) return false;
  if (row.email_verified === 1) return true;
  const other = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('email_lower', '=', row.email_lower)
    .where('email_verified', '=', 1)
    .where('id', '!=', userId)
    .executeTakeFirst();
  if (other) return false;
  await updateUser(ctx, userId, { email_verified: 1 });
  return true;
}

/** The same for a phone-only account's number, unique where phone numbers are sign-in names. */
async function verifyPhoneOf(ctx: PoolContext, userId: string, phone: string): Promise<boolean> {
  if ((await ctx.settings()).sign_in_aliases.includes('phone_number')) {
    const other = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('phone_number', '=', phone)
      .where('phone_number_verified', '=', 1)
      .where('id', '!=', userId)
      .executeTakeFirst();
    if (other) return false;
  }
  await updateUser(ctx, userId, { phone_number_verified: 1 });
  return true;
}

/**
 * Sends a new code. The pause between resends is per sign-in (flow), so it applies alike whether
 * or not an account is behind the step; past the per-user quota nothing is sent, silently.
 */
export async function resendCode(
  ctx: PoolContext,
  uid: string,
  step: Step<'confirm-account'> | Step<'reset-password'>,
  locale: string,
  ip: string,
): Promise<{ sent: true } | PoolError> {
  const gap = await hit(ctx, `gap:${uid}`, codeLimits.resendGap);
  if (!gap.allowed) return fail('rate_limited', { retryAfter: gap.retryAfter });
  const row = await stepUser(ctx, step);
  if (!row) {
    if (step.step === 'reset-password') await sendDecoy(ctx, step.identifier, locale);
    return { sent: true };
  }
  const sent = step.step === 'confirm-account' ? await sendConfirmationCode(ctx, row, { locale, ip }) : await sendCode(ctx, row, 'reset_password', locale);
  return 'error' in sent && sent.error === 'rate_limited' ? { sent: true } : sent;
}

/** The account behind a step, if any; a step without one looks up nobody, at the same cost. */
const stepUser = (ctx: PoolContext, step: { userId: string | null }) => getUserRow(ctx, step.userId ?? NOBODY);
const NOBODY = '00000000-0000-0000-0000-000000000000';

const decoyOf = (identifier: string) => `name:${identifier.toLowerCase()}`;

/**
 * What a reset for a name with no account "sends": a decoy code, within the same per-account
 * quota, so its tries, expiry and resends answer like a real account's, and a decoy mail that
 * costs what the real one does (nothing is mailed).
 */
async function sendDecoy(ctx: PoolContext, identifier: string, locale: string): Promise<void> {
  const quota = await hit(ctx, `send:reset_password:${decoyOf(identifier)}`, codeLimits.sendsPerUser);
  if (!quota.allowed) return;
  const issue = (tx: PoolContext) => issueDecoyCode(tx, decoyOf(identifier), 'reset_password');
  await queueDecoyMail(ctx, { to: identifier, kind: codeTemplates.reset_password, locale, issue });
}

/**
 * Starts a reset. Whether or not the identifier is known, the answer and the next screen are
 * the same; the code goes only to a real account's e-mail.
 */
export async function forgotPassword(
  ctx: PoolContext,
  input: { identifier: string; ip: string; locale: string },
): Promise<FlowOutcome | PoolError> {
  const limited = await perIp(ctx, 'forgot_password', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });
  const row = await findUserRowByAlias(ctx, input.identifier);
  // What the screen shows comes from what was typed, never from the account.
  const destination = input.identifier.includes('@') ? maskEmail(input.identifier) : null;
  const next = { step: 'reset-password' as const, identifier: input.identifier, destination, forced: false };
  // A federated-only user signs in at their provider: no password of ours to reset (as in Cognito).
  if (!row || !row.email || row.enabled !== 1 || row.status === 'EXTERNAL_PROVIDER') {
    await sendDecoy(ctx, input.identifier, input.locale);
    return { next: { ...next, userId: null } };
  }
  const sent = await sendCode(ctx, row, 'reset_password', input.locale);
  // Over the per-user quota we still answer as if sent: the earlier codes are valid.
  if ('error' in sent && sent.error !== 'rate_limited') return sent;
  return { next: { ...next, userId: row.id } };
}

/**
 * Sets the new password with the code. A reset never signs in by itself: the user signs in next,
 * and every browser, app and token signed in before ends (whoever forced the reset may hold them).
 */
export async function resetPassword(
  ctx: PoolContext,
  step: Step<'reset-password'>,
  input: { code: string; password: string; locale: string },
): Promise<FlowOutcome | PoolError> {
  // Checked against what was typed, so a known and an unknown account refuse the same passwords.
  const problem = await policyProblem(ctx, input.password, { username: step.identifier });
  if (problem) return problem;
  const row = await stepUser(ctx, step);
  // No account: its decoy answers wrong, too many and expired just as a real code would.
  const wrong = await checkCode(ctx, row ? { userId: row.id } : { decoy: decoyOf(step.identifier) }, 'reset_password', input.code);
  if (wrong !== 'ok') return wrong;
  if (!row) return fail('invalid_code', { field: 'code' }); // not reached: a decoy never matches
  const passwordHash = await hashPassword(input.password);
  await inTransaction(ctx, async (tx) => {
    // The code reached the mailbox, which proves it; an unconfirmed user becomes confirmed.
    await verifyEmailOf(tx, row.id);
    await updateUser(tx, row.id, { password_hash: passwordHash, status: 'CONFIRMED' });
    await forgetDevices(tx, row.id);
    await revokeEverything(tx, row.id);
    await releaseAttempt(tx, `user:${row.id}`);
    if (row.email) await queueMail(tx, row.email, { kind: 'passwordChanged' }, input.locale);
  });
  return { next: { step: 'sign-in' } };
}

/** FORCE_CHANGE_PASSWORD: an admin-created user picks their own password, then is signed in. */
export async function completeNewPassword(
  ctx: PoolContext,
  step: Step<'new-password'>,
  input: { password: string },
): Promise<FlowOutcome | PoolError> {
  const row = await getUserRow(ctx, step.userId);
  if (!row) return fail('session_expired');
  const problem = await policyProblem(ctx, input.password, row);
  if (problem) return problem;
  await updateUser(ctx, row.id, { password_hash: await hashPassword(input.password), status: 'CONFIRMED' });
  return { done: { userId: row.id, amr: ['pwd'] } };
}
