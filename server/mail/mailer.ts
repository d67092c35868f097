import nodemailer from 'nodemailer';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** The themed HTML part beside the text (server/mail/html.ts). */
  html?: string;
}

export interface Mailer {
  /** True when mail really leaves the machine; screens tell users when it does not. */
  readonly delivers: boolean;
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * Every step of a send is bounded, and the whole send too, so a hung mail server fails the attempt
 * well inside the outbox worker's lease (15 s) and the message is retried, never sent twice.
 */
export const SMTP_TIMEOUTS = { connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 8_000, dnsTimeout: 5_000, sendMs: 9_000 };

export function smtpMailer(url: string, from: string): Mailer {
  const { sendMs, ...timeouts } = SMTP_TIMEOUTS;
  const transport = nodemailer.createTransport({ url, ...timeouts });
  return {
    delivers: true,
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, ...(mail.html ? { html: mail.html } : {}), signal: AbortSignal.timeout(sendMs) });
    },
  };
}

/** Development default: messages are stored and shown on the outbox page. */
export function outboxMailer(db: Kysely<Database>, now = () => Date.now()): Mailer {
  return {
    delivers: false,
    async send(mail) {
      await db
        .insertInto('outbox')
        .values({ channel: 'email', recipient: mail.to, subject: mail.subject, body: mail.text, created_at: now() })
        .execute();
    },
  };
}

/** The dev outbox keeps a week of mail and texts. */
export async function sweepDevOutbox(db: Kysely<Database>, now = Date.now()): Promise<void> {
  await db.deleteFrom('outbox').where('created_at', '<=', now - 7 * 24 * 3600_000).execute();
}

export async function readOutbox(db: Kysely<Database>, limit = 50) {
  return db.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(limit).execute();
}
