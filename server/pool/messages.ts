import { renderMail, type MailTemplate } from '../mail/templates';
import { CODE_TTL_MS, issueCode } from './codes';
import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { codeLimits, hit } from './rate-limit';
import type { UserRow } from './users';

const templates: Record<'confirm_sign_up' | 'reset_password', 'confirmSignUp' | 'resetPassword'> = {
  confirm_sign_up: 'confirmSignUp',
  reset_password: 'resetPassword',
};

/**
 * Issues and e-mails a code, within the per-user send limits. The mail leaves after the answer,
 * so an existing account never answers slower than a missing one (and a mail server's failure is
 * logged, not turned into an error page).
 */
export async function sendCode(
  ctx: PoolContext,
  user: Pick<UserRow, 'id' | 'email'>,
  purpose: keyof typeof templates,
  locale: string,
): Promise<{ sent: true } | PoolError> {
  if (!user.email) return fail('no_destination');
  const quota = await hit(ctx, `send:${purpose}:${user.id}`, codeLimits.sendsPerUser);
  if (!quota.allowed) return fail('rate_limited', { retryAfter: quota.retryAfter });
  const code = await issueCode(ctx, user.id, purpose);
  notifyLater(ctx, user.email, { kind: templates[purpose], code, minutes: CODE_TTL_MS / 60_000 }, locale);
  return { sent: true };
}

export async function notify(ctx: PoolContext, to: string, template: MailTemplate, locale: string): Promise<void> {
  const settings = await ctx.settings();
  await ctx.mailer.send(renderMail(to, template, locale, settings.name));
}

/**
 * For mail whose sending must not show in the response time (it would tell whether an account
 * exists): sent after the answer, failures logged.
 */
export function notifyLater(ctx: PoolContext, to: string, template: MailTemplate, locale: string): void {
  setImmediate(() => {
    notify(ctx, to, template, locale).catch((e: unknown) => console.error('mail failed:', (e as Error).message));
  });
}
