/**
 * The transactional outbox for tests: what the pool queues is delivered by a real outbox worker,
 * on the test's clock, into arrays (or through the transports given). `deliver()` runs the worker
 * once, so a test looks at what was sent after it has been delivered, never after a guessed wait.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Mailer, OutgoingMail } from '../mail/mailer';
import type { OutboxLink } from '../outbox/store';
import { createOutboxWorker, type OutboxWorkerOptions } from '../outbox/worker';
import { sealerFor } from '../secrets';
import type { OutgoingSms, SmsSender } from '../sms/sender';

export const TEST_OUTBOX_KEY = 'test-outbox-key';

export function testOutbox(
  db: Kysely<Database>,
  opts: { now?: () => number; email?: Mailer; sms?: SmsSender } & Partial<Pick<OutboxWorkerOptions, 'retry' | 'leaseMs' | 'deliveryTimeoutMs' | 'batch' | 'pollMs'>> = {},
) {
  const mails: OutgoingMail[] = [];
  const texts: OutgoingSms[] = [];
  const sealer = sealerFor(TEST_OUTBOX_KEY);
  const worker = createOutboxWorker({
    ...opts,
    db,
    sealer,
    transports: {
      email: opts.email ?? { delivers: true, send: async (m) => void mails.push(m) },
      sms: opts.sms ?? { delivers: true, send: async (m) => void texts.push(m) },
    },
  });
  const link: OutboxLink = { sealer, kick: worker.kick };
  return { link, worker, sealer, mails, texts, deliver: () => worker.deliverDue() };
}

/** The 6-digit code a mail carries. */
export function codeIn(mail: OutgoingMail | undefined): string {
  const m = mail?.text.match(/\b(\d{6})\b/);
  if (!m) throw new Error(`no 6-digit code in mail: ${JSON.stringify(mail)}`);
  return m[1];
}
