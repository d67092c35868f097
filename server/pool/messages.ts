import { randomInt } from 'node:crypto';
import { renderMail, type MailTemplate } from '../mail/templates';
import { enqueueMessage, type OutgoingMessage } from '../outbox/store';
import { renderSms, type SmsTemplate } from '../sms/templates';
import { CODE_TTL_MS, issueCode, type CodePurpose } from './codes';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { codeLimits, hit } from './rate-limit';
import { inTransaction } from './transaction';
import type { UserRow } from './users';
import { matchLocale } from '../../i18n/locales';

/**
 * Messages are rendered now (template, locale, pool name) and written to the outbox, in the
 * caller's transaction when there is one; the outbox worker delivers them after the answer, so a
 * mail server never slows (or fails) a screen, and a crash never loses a code.
 */
async function enqueue(ctx: PoolContext, message: OutgoingMessage, status: 'pending' | 'decoy' = 'pending'): Promise<void> {
  await enqueueMessage(ctx.db, ctx.outbox.sealer, message, ctx.now(), status);
  // Delivery runs after the answer (see the worker's kick delay); a decoy has nothing to deliver.
  if (status === 'pending') ctx.outbox.kick();
}

/**
 * Mail and texts speak their reader's language: the `locale` stored on the account the address
 * belongs to (the language it signed up in, or what an admin, an import or an upstream provider
 * wrote), matched to a shipped locale as a page's language is (`ar-EG` → ar, `pt_AO` → pt-PT),
 * else `asked`: the page's, or the default locale for a message nobody asked for from a page (an
 * admin's reset). Every message looks it up, decoys too, so the lookup costs the same for
 * addresses no account has. A stored value that names no shipped locale is ignored, never an error.
 */
async function readerLocale(ctx: PoolContext, channel: 'email' | 'sms', to: string, asked: string): Promise<string> {
  const row = await (channel === 'email'
    ? ctx.db.selectFrom('users').select('attributes').where('email_lower', '=', to.toLowerCase()).orderBy('email_verified', 'desc')
    : ctx.db.selectFrom('users').select('attributes').where('phone_number', '=', to).orderBy('phone_number_verified', 'desc')
  )
    .limit(1)
    .executeTakeFirst();
  let stored: unknown;
  try {
    stored = row ? (JSON.parse(row.attributes) as Record<string, unknown>).locale : undefined;
  } catch {
    stored = undefined;
  }
  return (typeof stored === 'string' ? matchLocale(stored) : undefined) ?? asked;
}

/** The reader's catalogue with the operator's custom text, read through the context's connection (a transaction's inside one). */
const custom = (ctx: PoolContext, lang: string) => ctx.customText?.messages(lang, ctx.db);

export async function queueMail(ctx: PoolContext, to: string, template: MailTemplate, locale: string): Promise<void> {
  const { name } = await ctx.settings();
  const lang = await readerLocale(ctx, 'email', to, locale);
  await enqueue(ctx, { channel: 'email', ...renderMail(to, template, lang, name, await ctx.mailBrand?.(ctx), await custom(ctx, lang)) });
}

/**
 * The work of mailing a code, for an address no account has: the same rendering, sealing and
 * outbox write in one transaction, as a decoy row nobody delivers (swept with delivered ones).
 * A screen that mails a known account's code and "mails" an unknown one's then answers in the
 * same time, so its timing does not tell which it was.
 */
export async function queueDecoyMail(
  ctx: PoolContext,
  opts: { to: string; kind: CodeMail; locale: string; issue: (tx: PoolContext) => Promise<void>; minutes?: number; template?: MailTemplate },
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await opts.issue(tx);
    const { name } = await tx.settings();
    const template = opts.template ?? { kind: opts.kind, code: decoyCode(), minutes: opts.minutes ?? CODE_TTL_MS / 60_000 };
    const lang = await readerLocale(tx, 'email', opts.to, opts.locale);
    await enqueue(tx, { channel: 'email', ...renderMail(opts.to, template, lang, name, await tx.mailBrand?.(tx), await custom(tx, lang)) }, 'decoy');
  });
}

/** The same for a text: rendered, sealed and written as a decoy row nobody delivers. */
export async function queueDecoySms(ctx: PoolContext, opts: { to: string; template: SmsTemplate; locale: string; issue: (tx: PoolContext) => Promise<void> }): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    await opts.issue(tx);
    const { name } = await tx.settings();
    const lang = await readerLocale(tx, 'sms', opts.to, opts.locale);
    await enqueue(tx, { channel: 'sms', ...renderSms(opts.to, opts.template, lang, name, await custom(tx, lang)) }, 'decoy');
  });
}

export const decoyCode = () => randomInt(0, 1_000_000).toString().padStart(6, '0');

export async function queueSms(ctx: PoolContext, to: string, template: SmsTemplate, locale: string): Promise<void> {
  const { name } = await ctx.settings();
  const lang = await readerLocale(ctx, 'sms', to, locale);
  await enqueue(ctx, { channel: 'sms', ...renderSms(to, template, lang, name, await custom(ctx, lang)) });
}

type CodeMail = Extract<MailTemplate, { code: string }>['kind'];

/** A new code and the mail that carries it, in one transaction: neither exists without the other. */
export async function mailCode(
  ctx: PoolContext,
  opts: { userId: string; purpose: CodePurpose; to: string; kind: CodeMail; locale: string; ttlMs?: number },
): Promise<void> {
  const ttlMs = opts.ttlMs ?? CODE_TTL_MS;
  await inTransaction(ctx, async (tx) => {
    const code = await issueCode(tx, opts.userId, opts.purpose, ttlMs);
    await queueMail(tx, opts.to, { kind: opts.kind, code, minutes: ttlMs / 60_000 }, opts.locale);
  });
}

export const codeTemplates: Record<'confirm_sign_up' | 'reset_password', 'confirmSignUp' | 'resetPassword'> = {
  confirm_sign_up: 'confirmSignUp',
  reset_password: 'resetPassword',
};

/** Issues and e-mails a code, within the per-user send limits. */
export async function sendCode(
  ctx: PoolContext,
  user: Pick<UserRow, 'id' | 'email'>,
  purpose: keyof typeof codeTemplates,
  locale: string,
): Promise<{ sent: true } | PoolError> {
  if (!user.email) return fail('no_destination');
  const quota = await hit(ctx, `send:${purpose}:${user.id}`, codeLimits.sendsPerUser);
  if (!quota.allowed) return fail('rate_limited', { retryAfter: quota.retryAfter });
  await mailCode(ctx, { userId: user.id, purpose, to: user.email, kind: codeTemplates[purpose], locale });
  return { sent: true };
}
