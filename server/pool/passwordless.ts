import { randomBytes, randomUUID } from 'node:crypto';
import { guarded } from './attempts';
import { checkCode, issueDecoyCode, type CodeHolder, type CodePurpose } from './codes';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { maskEmail, type FlowOutcome, type StepOf } from './flow';
import { consumeMagicLink, issueMagicLink, LINK_TTL_MS, readMagicLink, type LinkState } from './magic-links';
import { decoyCode, mailCode, queueDecoyMail, queueDecoySms, queueMail } from './messages';
import type { Method, Sends } from './methods/method';
import { maskPhone } from './phone/numbers';
import { SMS_CODE_TTL_MS, sendSmsCode } from './phone/send';
import { codeLimits, hit, perIp } from './rate-limit';
import { recordSignInFailure, SIGN_IN_FAILED } from './sign-in-events';
import { findUserRowByAlias, getUserRow, type UserRow } from './users';

/**
 * Passwordless first factors, for every registry method that `sends` (an e-mailed or texted code,
 * a mailed link), under the rules of the password: the per-IP sign-in limit, the same lock
 * (`user:<id>`, or `name:<identifier>` where no account answers), reserved before the proof is
 * checked, and no enumeration: whatever was typed, the same step, screens and answers follow, and
 * where nothing can be sent a decoy code (and a decoy message, costing what the real one does)
 * stands in.
 */
export type PasswordlessStep = StepOf<'passwordless'>;
type Opts = { ip: string; locale: string };

const EMAIL_CODE_TTL_MS = 5 * 60_000;
const NOBODY = '00000000-0000-0000-0000-000000000000';

/**
 * The registry's method for a sign-in method's name (`email_otp`: the `email` kind's first-factor
 * use), when it signs in without a password and the pool offers it; the name comes from a form
 * or a stored step.
 */
async function passwordlessMethod(ctx: PoolContext, name: string): Promise<(Method & { sends: Sends }) | undefined> {
  const allowed = (await ctx.settings()).sign_in_methods as readonly string[];
  if (!allowed.includes(name)) return undefined;
  const method = Object.values(ctx.methods).find((m) => m.use.first === name);
  return method?.sends ? (method as Method & { sends: Sends }) : undefined;
}

const nameKey = (identifier: string) => `name:${identifier.toLowerCase()}`;
/** The password's lock key, so wrong codes and wrong passwords count together. */
const lockOf = (step: PasswordlessStep) => (step.userId ? `user:${step.userId}` : nameKey(step.identifier));
const holderOf = (step: PasswordlessStep): CodeHolder => (step.userId ? { userId: step.userId } : { decoy: nameKey(step.identifier) });
const codePurpose = (sends: Sends, attempt: string): CodePurpose => (sends.channel === 'sms' ? `sign_in_sms:${attempt}` : `sign_in_email:${attempt}`);

/** Where the screen says the code went: what was typed, masked, never anything read from an account. */
function destinationOf(sends: Sends, identifier: string): string | null {
  if (sends.channel === 'email') return identifier.includes('@') ? maskEmail(identifier) : null;
  return /^\+[1-9][0-9]{6,14}$/.test(identifier) ? maskPhone(identifier) : null;
}

/** The account a code or link may go to: enabled, confirmed, with the method's verified address. */
function recipient(sends: Sends, row: UserRow | undefined): { userId: string; to: string } | null {
  if (!row || row.enabled !== 1 || row.status !== 'CONFIRMED') return null;
  const to = sends.address(row);
  return to ? { userId: row.id, to } : null;
}

/** Starts a passwordless sign-in: the step, and a code or link sent for its attempt (or a decoy). */
export async function startPasswordless(ctx: PoolContext, uid: string, input: { method: string; identifier: string; publicUrl: string } & Opts): Promise<FlowOutcome | PoolError> {
  const method = await passwordlessMethod(ctx, input.method);
  if (!method) return fail('wrong_step');
  const limited = await perIp(ctx, 'sign_in', input.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });
  const to = recipient(method.sends, await findUserRowByAlias(ctx, input.identifier));
  const step: PasswordlessStep = {
    step: 'passwordless',
    method: input.method,
    userId: to?.userId ?? null,
    identifier: input.identifier,
    attempt: randomUUID(),
    destination: destinationOf(method.sends, input.identifier),
  };
  await send(ctx, uid, step, method.sends, to?.to ?? null, input);
  return { next: step };
}

/** Another code or link for the same attempt, no sooner than the resend gap of this sign-in. */
export async function resendPasswordless(ctx: PoolContext, uid: string, step: PasswordlessStep, o: { publicUrl: string } & Opts): Promise<{ sent: true } | PoolError> {
  const method = await passwordlessMethod(ctx, step.method);
  if (!method) return fail('wrong_step');
  const gap = await hit(ctx, `gap:${uid}`, codeLimits.resendGap);
  if (!gap.allowed) return fail('rate_limited', { retryAfter: gap.retryAfter });
  const row = step.userId ? await getUserRow(ctx, step.userId) : await getUserRow(ctx, NOBODY);
  await send(ctx, uid, step, method.sends, recipient(method.sends, row)?.to ?? null, o);
  return { sent: true };
}

/**
 * Sends within the per-recipient quota (and, for texts, the anti-pumping limits); over a limit
 * nothing is sent and the screen reads the same, as for an unknown name.
 */
async function send(ctx: PoolContext, uid: string, step: PasswordlessStep, sends: Sends, to: string | null, o: { publicUrl: string } & Opts): Promise<void> {
  const quota = await hit(ctx, `send:sign_in:${step.userId ?? nameKey(step.identifier)}`, codeLimits.sendsPerUser);
  if (!quota.allowed) return;
  const purpose = codePurpose(sends, step.attempt);
  const decoy = (tx: PoolContext) => issueDecoyCode(tx, nameKey(step.identifier), purpose);
  if (sends.proof === 'link') {
    const minutes = LINK_TTL_MS / 60_000;
    if (!step.userId || !to) {
      const url = linkUrl(o, uid, randomUUID(), randomBytes(32).toString('base64url'));
      return queueDecoyMail(ctx, { to: step.identifier, kind: 'signInCode', locale: o.locale, issue: decoy, template: { kind: 'magicLink', url, minutes } });
    }
    const link = await issueMagicLink(ctx, { userId: step.userId, uid, attempt: step.attempt });
    return queueMail(ctx, to, { kind: 'magicLink', url: linkUrl(o, uid, link.id, link.token), minutes }, o.locale);
  }
  if (sends.channel === 'email') {
    if (!step.userId || !to) return queueDecoyMail(ctx, { to: step.identifier, kind: 'signInCode', locale: o.locale, issue: decoy, minutes: EMAIL_CODE_TTL_MS / 60_000 });
    return mailCode(ctx, { userId: step.userId, purpose, to, kind: 'signInCode', locale: o.locale, ttlMs: EMAIL_CODE_TTL_MS });
  }
  if (!step.userId || !to) {
    // The per-IP part of the anti-pumping limits applies alike; a decoy has no number to count,
    // but counts on keys of its own as often as a real text does (the same work, so the same time).
    const r = (await ctx.settings()).rate_limits;
    if (!(await hit(ctx, `sms:ip:${o.ip}`, { max: r.sms_per_ip_per_hour, windowMs: 60 * 60_000 })).allowed) return;
    for (const part of ['quota', 'number', 'country']) await hit(ctx, `decoy:sms:${part}:${nameKey(step.identifier)}`, codeLimits.sendsPerUser);
    return queueDecoySms(ctx, { to: '+10000000000', template: { kind: 'signInCode', code: decoyCode(), minutes: SMS_CODE_TTL_MS / 60_000 }, locale: o.locale, issue: decoy });
  }
  // Refusals (quota, pumping limits) send nothing and read the same.
  await sendSmsCode(ctx, { userId: step.userId, to, purpose, quota: 'sign_in_sms', template: 'signInCode', ...o });
}

const linkUrl = (o: { publicUrl: string; locale: string }, uid: string, id: string, token: string) =>
  `${o.publicUrl}/${o.locale}/login/link?${new URLSearchParams({ uid, link: id, token }).toString()}`;

/** The typed code, for this attempt only, through the password's lock; a right one is the first factor. */
export async function answerPasswordlessCode(ctx: PoolContext, step: PasswordlessStep, code: string, o: { ip: string }): Promise<FlowOutcome | PoolError> {
  const method = await passwordlessMethod(ctx, step.method);
  if (method?.sends.proof !== 'code') return fail('wrong_step');
  const limited = await perIp(ctx, 'sign_in', o.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });
  const checked = await checkCode(ctx, holderOf(step), codePurpose(method.sends, step.attempt), code, { lock: lockOf(step) });
  const done = checked === 'ok' ? await signedIn(ctx, step, method.sends) : checked;
  if ('error' in done) await recordSignInFailure(ctx, { type: SIGN_IN_FAILED, userId: step.userId, method: step.method, reason: done.error, ip: o.ip });
  return done;
}

/** A link's target, read without spending it: the sign-in it belongs to, if its token is right. */
export const inspectLink = (ctx: PoolContext, id: string, token: string): Promise<LinkState | undefined> => readMagicLink(ctx, id, token);

/**
 * The link, used in the browser whose sign-in (`uid`, checked by the caller against this browser's
 * interaction) asked for it, at its attempt: spent once, under the password's lock.
 */
export async function spendMagicLink(ctx: PoolContext, uid: string, step: PasswordlessStep, link: { id: string; token: string; ip: string }): Promise<FlowOutcome | PoolError> {
  const method = await passwordlessMethod(ctx, step.method);
  if (method?.sends.proof !== 'link') return fail('link_invalid');
  const limited = await perIp(ctx, 'sign_in', link.ip);
  if (!limited.allowed) return fail('rate_limited', { retryAfter: limited.retryAfter });
  const belongs = (found: LinkState | undefined) => !!found && found.uid === uid && found.attempt === step.attempt && found.userId === step.userId;
  // Reserved before the token is even read, as every secret is (and for a name with no account,
  // which has no link, alike).
  const wrong = await guarded(ctx, lockOf(step), async () => belongs(await readMagicLink(ctx, link.id, link.token)) && consumeMagicLink(ctx, link.id), fail('link_invalid'));
  const done = wrong ?? (await signedIn(ctx, step, method.sends));
  if ('error' in done) await recordSignInFailure(ctx, { type: SIGN_IN_FAILED, userId: step.userId, method: step.method, reason: done.error, ip: link.ip });
  return done;
}

async function signedIn(ctx: PoolContext, step: PasswordlessStep, sends: Sends): Promise<FlowOutcome | PoolError> {
  // Only a real account's code or link passes; one disabled since fails like a wrong code.
  const row = step.userId ? await getUserRow(ctx, step.userId) : undefined;
  if (!row || !recipient(sends, row)) return fail(sends.proof === 'link' ? 'link_invalid' : 'invalid_code', { field: 'code' });
  return { done: { userId: row.id, amr: sends.amr } };
}
