import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { errorMessage, log } from '../log';
import type { Mailer } from '../mail/mailer';
import type { SmsSender } from '../sms/sender';
import {
  backlog,
  claimDue,
  markAttemptFailed,
  markDelivered,
  openMessage,
  sweepMessages,
  type Backlog,
  type ClaimedMessage,
  type OutgoingMessage,
  type Sealer,
} from './store';

/** How messages leave: SMTP or the dev outbox for mail, the SMS webhook or the dev outbox for texts. */
export interface Transports {
  email: Mailer;
  sms: SmsSender;
}

export interface RetryPolicy {
  /** Delay after the first failure; doubled after each further one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all; after the last one fails the message is `failed`. */
  attempts: number;
}

/** 2 s, 4 s, … capped at 15 min: 24 attempts span about four hours of a mail server being down. */
export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 2_000, maxDelayMs: 15 * 60_000, attempts: 24 };
export const RETENTION_MS = 7 * 24 * 60 * 60_000;

export interface OutboxWorkerOptions {
  db: Kysely<Database>;
  sealer: Sealer;
  transports: Transports;
  /** The clock rows are stamped with (tests move it). */
  now?: () => number;
  pollMs?: number;
  /** How long after a kick delivery starts (see KICK_DELAY_MS). */
  kickDelayMs?: number;
  /** How long a claim holds a row; a worker that died loses its rows to another after this. */
  leaseMs?: number;
  /** One delivery may take this long before it counts as failed; kept below the lease. */
  deliveryTimeoutMs?: number;
  /** Rows claimed (and delivered side by side) at a time. */
  batch?: number;
  retry?: RetryPolicy;
  retentionMs?: number;
}

export interface OutboxWorker {
  /** Polls for due messages every `pollMs` until flushed or stopped. */
  start(): void;
  /** A message was committed in this process: look now rather than at the next poll. */
  kick(): void;
  /** Delivers every message due now (in batches), whether or not polling runs; how many were delivered. */
  deliverDue(): Promise<number>;
  /**
   * At shutdown: stops polling, lets in-flight deliveries finish and delivers what is due until
   * `timeoutMs` has passed. What is left stays pending for the next instance or start.
   */
  flush(timeoutMs: number): Promise<void>;
  /** Stops for good, once the deliveries in flight have settled. */
  stop(): Promise<void>;
  backlog(): Promise<Backlog>;
  /** Deletes delivered and failed rows past the retention period. */
  sweep(): Promise<number>;
}

/**
 * A kick starts delivery this long after the write, so that it runs after the answer that queued
 * the message, not during it: a screen that mails a known account's code must not answer slower
 * than the same screen for an unknown account (whose decoy nobody delivers).
 */
const KICK_DELAY_MS = 50;

/** Delay before the next try, after `failures` failed attempts. */
export function retryDelay(policy: RetryPolicy, failures: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
}

/** What is kept of an error: its code and message, shortened (transports never put codes in them). */
function describeError(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return `${typeof code === 'string' ? `${code}: ` : ''}${errorMessage(e)}`.slice(0, 300);
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function send(transports: Transports, message: OutgoingMessage): Promise<void> {
  return message.channel === 'email'
    ? transports.email.send({ to: message.to, subject: message.subject, text: message.text, html: message.html })
    : transports.sms.send({ to: message.to, body: message.body, purpose: message.purpose });
}

export function createOutboxWorker(opts: OutboxWorkerOptions): OutboxWorker {
  const { db, sealer, transports } = opts;
  const now = opts.now ?? Date.now;
  const pollMs = opts.pollMs ?? 1_000;
  const leaseMs = opts.leaseMs ?? 15_000;
  const deliveryTimeoutMs = opts.deliveryTimeoutMs ?? 10_000;
  const batch = opts.batch ?? 10;
  const retry = opts.retry ?? DEFAULT_RETRY;
  if (deliveryTimeoutMs >= leaseMs) throw new Error('the outbox delivery timeout must be shorter than its lease');

  let polling = false;
  /** Flushed or stopped: polling never starts again. */
  let closing = false;
  /** Stopped: no more deliveries at all. */
  let halted = false;
  let timer: NodeJS.Timeout | undefined;
  let kicked: NodeJS.Timeout | undefined;
  const kickDelayMs = opts.kickDelayMs ?? KICK_DELAY_MS;
  let pass: Promise<void> | null = null;
  let again = false;
  let flushing: Promise<unknown> | null = null;

  async function attemptFailed(row: ClaimedMessage, token: string, error: string, retryable: boolean): Promise<void> {
    const final = !retryable || row.attempts >= retry.attempts;
    const retryAt = final ? null : now() + retryDelay(retry, row.attempts);
    await markAttemptFailed(db, row.id, token, { retryAt, error });
    const fields = { messageId: row.id, channel: row.channel, attempts: row.attempts, error };
    if (retryAt === null) log.error(fields, 'outbox: message given up');
    else log.warn({ ...fields, retryAt: new Date(retryAt).toISOString() }, 'outbox: delivery failed; will retry');
  }

  async function deliverOne(row: ClaimedMessage, token: string): Promise<boolean> {
    let message: OutgoingMessage;
    try {
      message = openMessage(sealer, row.payload);
    } catch (e) {
      // Sealed under a deployment secret this instance does not have (a rolling FOYER_SECRET
      // rotation): another instance, or this one restarted, may open it. A damaged row runs out
      // of attempts like any failure.
      await attemptFailed(row, token, `unreadable payload: ${describeError(e)}`, true);
      return false;
    }
    try {
      await withDeadline(send(transports, message), deliveryTimeoutMs);
    } catch (e) {
      await attemptFailed(row, token, describeError(e), true);
      return false;
    }
    if (!(await markDelivered(db, row.id, token, now()))) {
      log.warn({ messageId: row.id, channel: row.channel }, 'outbox: delivered after its lease ran out; another worker may send it again');
    }
    return true;
  }

  /** Claims and delivers batches until none is due, the worker stops, or `until` (wall clock) has passed. */
  async function deliverDueUntil(until: number): Promise<number> {
    let delivered = 0;
    while (!halted && Date.now() < until) {
      const token = randomUUID();
      const rows = await claimDue(db, { now: now(), leaseMs, limit: batch, token });
      if (rows.length === 0) break;
      const results = await Promise.all(rows.map((row) => deliverOne(row, token)));
      delivered += results.filter(Boolean).length;
      if (rows.length < batch) break;
    }
    return delivered;
  }
  const deliverDue = () => deliverDueUntil(Infinity);

  /** One pass at a time; a kick during a pass asks for another right after it. */
  function runPass(): void {
    if (halted) return;
    if (pass) {
      again = true;
      return;
    }
    pass = deliverDue()
      .then(() => undefined)
      .catch((e: unknown) => log.error({ error: describeError(e) }, 'outbox: delivery pass failed'))
      .finally(() => {
        pass = null;
        if (again && polling) {
          again = false;
          runPass();
        }
      });
  }

  function stopPolling(): void {
    polling = false;
    again = false;
    if (timer) clearInterval(timer);
    timer = undefined;
    clearTimeout(kicked);
    kicked = undefined;
  }

  return {
    start() {
      if (polling || closing) return;
      polling = true;
      timer = setInterval(runPass, pollMs);
      timer.unref();
    },
    kick() {
      if (!polling || kicked) return;
      kicked = setTimeout(() => {
        kicked = undefined;
        runPass();
      }, kickDelayMs);
      kicked.unref();
    },
    deliverDue,
    async flush(timeoutMs) {
      closing = true;
      stopPolling();
      const until = Date.now() + timeoutMs;
      let timeout: NodeJS.Timeout | undefined;
      const timeUp = new Promise<'time-up'>((resolve) => {
        timeout = setTimeout(() => resolve('time-up'), timeoutMs);
      });
      const work = (async () => {
        await pass;
        await deliverDueUntil(until);
        return 'done' as const;
      })().catch((e: unknown) => {
        log.error({ error: describeError(e) }, 'outbox: flush failed; undelivered messages stay pending');
        return 'failed' as const;
      });
      flushing = work;
      const outcome = await Promise.race([work, timeUp]).finally(() => clearTimeout(timeout));
      if (outcome === 'time-up') log.warn({ timeoutMs }, 'outbox: flush timed out; undelivered messages stay pending');
    },
    async stop() {
      closing = true;
      halted = true;
      stopPolling();
      await Promise.all([pass, flushing]);
    },
    backlog: () => backlog(db, now()),
    sweep: () => sweepMessages(db, now() - (opts.retentionMs ?? RETENTION_MS)),
  };
}
