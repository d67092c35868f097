import { createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** Why a text is sent; told to the provider so it can route or price them apart. */
export type SmsPurpose = 'mfa' | 'verify_phone' | 'confirm_sign_up' | 'sign_in';

export interface OutgoingSms {
  /** E.164, e.g. +447700900123. */
  to: string;
  body: string;
  purpose: SmsPurpose;
}

export interface SmsSender {
  /** True when texts really leave the machine; screens tell users when they do not. */
  readonly delivers: boolean;
  send(sms: OutgoingSms): Promise<void>;
}

export const SMS_TIMESTAMP_HEADER = 'x-foyer-timestamp';
export const SMS_SIGNATURE_HEADER = 'x-foyer-signature';

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<raw body>"). The timestamp (Unix seconds,
 * sent in its own header) is signed too, so a receiver can refuse replays of an old request.
 */
export function smsSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * An SMS provider reached through one HTTPS webhook: Foyer POSTs `{ to, body, purpose }` as JSON and
 * any 2xx answer means accepted. Redirects are not followed; slow providers time out.
 */
export function webhookSmsSender(url: string, secret?: string, opts: { timeoutMs?: number; now?: () => number } = {}): SmsSender {
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const now = opts.now ?? Date.now;
  return {
    delivers: true,
    async send(sms) {
      const body = JSON.stringify({ to: sms.to, body: sms.body, purpose: sms.purpose });
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Foyer' };
      if (secret) {
        const timestamp = String(Math.floor(now() / 1000));
        headers[SMS_TIMESTAMP_HEADER] = timestamp;
        headers[SMS_SIGNATURE_HEADER] = smsSignature(secret, timestamp, body);
      }
      const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel().catch(() => undefined);
      if (res.status < 200 || res.status > 299) throw new Error(`the SMS webhook answered HTTP ${res.status}`);
    },
  };
}

/** Development default: texts are stored and shown on the dev outbox page, beside mail. */
export function outboxSmsSender(db: Kysely<Database>, now = () => Date.now()): SmsSender {
  return {
    delivers: false,
    async send(sms) {
      await db.insertInto('outbox').values({ channel: 'sms', recipient: sms.to, subject: '', body: sms.body, created_at: now() }).execute();
    },
  };
}
