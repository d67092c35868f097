import type { SmsTemplate } from '../../sms/templates';
import { issueCode, type CodePurpose } from '../codes';
import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import { queueSms } from '../messages';
import { codeLimits, hit, type Limit } from '../rate-limit';
import { inTransaction } from '../transaction';
import { callingCode } from './numbers';

export const SMS_CODE_TTL_MS = 5 * 60_000;
const HOUR = 60 * 60_000;

/**
 * Against SMS pumping (bots making a sender text numbers whose operator shares the fee): each text
 * counts toward its number, the client's address and the number's country calling code, checked
 * in that order so a refused try does not eat the next limit's quota. Every refusal reads alike.
 */
async function withinSmsLimits(ctx: PoolContext, to: string, ip: string): Promise<true | PoolError> {
  const r = (await ctx.settings()).rate_limits;
  const limits: [string, Limit][] = [
    [`sms:ip:${ip}`, { max: r.sms_per_ip_per_hour, windowMs: HOUR }],
    [`sms:number:${to}`, { max: r.sms_per_number_per_hour, windowMs: HOUR }],
    [`sms:country:${callingCode(to)}`, { max: r.sms_per_country_code_per_hour, windowMs: HOUR }],
  ];
  for (const [key, limit] of limits) {
    const h = await hit(ctx, key, limit);
    if (!h.allowed) return fail('rate_limited', { retryAfter: h.retryAfter });
  }
  return true;
}

/**
 * Issues a 6-digit code for `purpose` (5 minutes, single use) and texts it to `to`, within the
 * user's send quota and the anti-pumping limits; a refusal sends nothing.
 */
export async function sendSmsCode(
  ctx: PoolContext,
  opts: { userId: string; to: string; purpose: CodePurpose; quota: string; template: SmsTemplate['kind']; locale: string; ip: string },
): Promise<{ sent: true } | PoolError> {
  const quota = await hit(ctx, `send:${opts.quota}:${opts.userId}`, codeLimits.sendsPerUser);
  if (!quota.allowed) return fail('rate_limited', { retryAfter: quota.retryAfter });
  const limited = await withinSmsLimits(ctx, opts.to, opts.ip);
  if (limited !== true) return limited;
  // The code and its text in one transaction; the text leaves after the answer, so a slow or
  // failing provider never holds up (or breaks) a page.
  await inTransaction(ctx, async (tx) => {
    const code = await issueCode(tx, opts.userId, opts.purpose, SMS_CODE_TTL_MS);
    await queueSms(tx, opts.to, { kind: opts.template, code, minutes: SMS_CODE_TTL_MS / 60_000 }, opts.locale);
  });
  return { sent: true };
}
