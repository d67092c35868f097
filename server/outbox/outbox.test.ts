/**
 * The transactional outbox against SQLite and PostgreSQL: rows written in the writer's
 * transaction, claimed with a lease by one worker at a time, retried with back-off, scrubbed.
 */
import { afterEach, expect, it, vi } from 'vitest';
import type { Db } from '../db/connect';
import { log } from '../log';
import { smtpMailer, type OutgoingMail } from '../mail/mailer';
import { startSmtpSink } from '../testing/smtp';
import { sealerFor } from '../secrets';
import { anotherConnection, describeEachDb } from '../testing/databases';
import { TEST_OUTBOX_KEY } from '../testing/outbox';
import { claimDue, enqueueMessage, markDelivered, openMessage, type OutgoingMessage } from './store';
import { createOutboxWorker, retryDelay, type OutboxWorker, type OutboxWorkerOptions } from './worker';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const sealer = sealerFor(TEST_OUTBOX_KEY);

const mail = (n: number, to = `user${n}@example.com`): OutgoingMessage => ({
  channel: 'email',
  to,
  subject: `${String(n).padStart(6, '0')} is your code`,
  text: `Your code is ${String(n).padStart(6, '0')}.`,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describeEachDb('outbox', (open) => {
  const workers: OutboxWorker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });

  async function setup(opts: Partial<OutboxWorkerOptions> = {}) {
    const db: Db = await open();
    let t = START;
    const clock = { now: () => t, advance: (ms: number) => (t += ms) };
    const mails: OutgoingMail[] = [];
    const worker = (over: Partial<OutboxWorkerOptions> = {}) => {
      const w = createOutboxWorker({
        db: db.kysely,
        sealer,
        now: clock.now,
        transports: {
          email: { delivers: true, send: async (m) => void mails.push(m) },
          sms: { delivers: true, send: async () => undefined },
        },
        ...opts,
        ...over,
      });
      workers.push(w);
      return w;
    };
    const enqueue = (m: OutgoingMessage) => enqueueMessage(db.kysely, sealer, m, clock.now(), 'pending');
    const rows = () => db.kysely.selectFrom('messages').selectAll().orderBy('id').execute();
    return { db, clock, mails, worker, enqueue, rows };
  }

  it('a message written in a transaction that rolls back is gone; one that commits is there', async () => {
    const { db, enqueue, rows } = await setup();
    await expect(
      db.kysely.transaction().execute(async (tx) => {
        await enqueueMessage(tx, sealer, mail(1), START, 'pending');
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await rows()).toEqual([]);
    await db.kysely.transaction().execute((tx) => enqueueMessage(tx, sealer, mail(2), START, 'pending'));
    await enqueue(mail(3));
    expect((await rows()).map((r) => [r.channel, r.status, r.attempts, r.next_attempt_at])).toEqual([
      ['email', 'pending', 0, START],
      ['email', 'pending', 0, START],
    ]);
  });

  it('payloads are sealed at rest, and scrubbed once delivered', async () => {
    const { enqueue, rows, worker, mails } = await setup();
    await enqueue(mail(424242, 'alice@example.com'));
    const [row] = await rows();
    expect(row.payload).not.toContain('424242');
    expect(row.payload).not.toContain('alice');
    expect(row.payload).not.toContain('code');
    expect(openMessage(sealer, row.payload)).toEqual(mail(424242, 'alice@example.com'));
    expect(() => openMessage(sealerFor('another key'), row.payload)).toThrow();

    expect(await worker().deliverDue()).toBe(1);
    expect(mails).toEqual([{ to: 'alice@example.com', subject: '424242 is your code', text: 'Your code is 424242.' }]);
    const [done] = await rows();
    expect(done).toMatchObject({ status: 'delivered', payload: null, delivered_at: START, claim_token: null, claimed_until: null, attempts: 1 });
  });

  it('a payload this instance cannot open is left for one that can (retried later), and logged without its content', async () => {
    const { db, rows, worker, mails, clock } = await setup();
    const warnings = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const other = sealerFor('a key from the rotated deployment secret');
    await enqueueMessage(db.kysely, other, mail(111111), START, 'pending');
    expect(await worker().deliverDue()).toBe(0);
    expect(mails).toEqual([]);
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, claim_token: null });
    expect(row.payload).not.toBeNull();
    expect(row.next_attempt_at).toBeGreaterThan(START);
    expect(row.last_error).toMatch(/^unreadable payload/);
    expect(warnings).toHaveBeenCalledWith(expect.objectContaining({ messageId: row.id, channel: 'email', attempts: 1 }), 'outbox: delivery failed; will retry');
    expect(JSON.stringify(warnings.mock.calls)).not.toContain('111111');
    // An instance with that key delivers it when it is due again.
    clock.advance(row.next_attempt_at - START);
    expect(await worker({ sealer: other }).deliverDue()).toBe(1);
    expect(mails.map((m) => m.text).join()).toContain('111111');
  });

  it('sms rows go to the SMS transport, e-mail rows to the mailer', async () => {
    const { enqueue, worker } = await setup();
    const sent: string[] = [];
    const w = worker({
      transports: {
        email: { delivers: true, send: async (m) => void sent.push(`mail ${m.to}`) },
        sms: { delivers: true, send: async (m) => void sent.push(`sms ${m.to} ${m.purpose} ${m.body}`) },
      },
    });
    await enqueue({ channel: 'sms', to: '+447700900123', body: '123456 is your code', purpose: 'mfa' });
    await enqueue(mail(1, 'bob@example.com'));
    expect(await w.deliverDue()).toBe(2);
    expect(sent).toEqual(['sms +447700900123 mfa 123456 is your code', 'mail bob@example.com']);
  });

  it('a failing transport is retried with exponential back-off, and the message leaves once it works', async () => {
    const { enqueue, rows, worker, clock } = await setup();
    const warnings = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    let failures = 2;
    const delivered: OutgoingMail[] = [];
    const w = worker({
      transports: {
        email: {
          delivers: true,
          send: async (m) => {
            if (failures-- > 0) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' });
            delivered.push(m);
          },
        },
        sms: { delivers: true, send: async () => undefined },
      },
    });
    await enqueue(mail(7));

    expect(await w.deliverDue()).toBe(0);
    let [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 1, next_attempt_at: START + 2_000, claim_token: null, last_error: 'ESOCKET: connect ECONNREFUSED 127.0.0.1:25' });
    expect(row.payload).not.toBeNull();
    expect(warnings).toHaveBeenCalledWith(expect.objectContaining({ messageId: row.id, attempts: 1, error: 'ESOCKET: connect ECONNREFUSED 127.0.0.1:25' }), 'outbox: delivery failed; will retry');

    // Not due yet: nothing is tried.
    clock.advance(1_999);
    expect(await w.deliverDue()).toBe(0);
    expect((await rows())[0].attempts).toBe(1);

    clock.advance(1);
    expect(await w.deliverDue()).toBe(0);
    [row] = await rows();
    expect(row).toMatchObject({ status: 'pending', attempts: 2, next_attempt_at: START + 2_000 + 4_000 });

    clock.advance(4_000);
    expect(await w.deliverDue()).toBe(1);
    expect(delivered).toEqual([{ to: 'user7@example.com', subject: '000007 is your code', text: 'Your code is 000007.' }]);
    [row] = await rows();
    expect(row).toMatchObject({ status: 'delivered', attempts: 3, payload: null, last_error: null });
  });

  it('the back-off doubles up to its cap; after the last attempt the message is failed, scrubbed and logged', async () => {
    const retry = { baseDelayMs: 1_000, maxDelayMs: 3_000, attempts: 4 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelay(retry, n))).toEqual([1_000, 2_000, 3_000, 3_000, 3_000]);
    const { enqueue, rows, worker, clock } = await setup({ retry });
    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const errors = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const w = worker({
      transports: {
        email: { delivers: true, send: async () => Promise.reject(new Error('the mail server said no')) },
        sms: { delivers: true, send: async () => undefined },
      },
    });
    await enqueue(mail(5));
    for (const wait of [0, 1_000, 2_000, 3_000]) {
      clock.advance(wait);
      expect(await w.deliverDue()).toBe(0);
    }
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'failed', attempts: 4, payload: null, last_error: 'the mail server said no' });
    expect(errors).toHaveBeenCalledWith(expect.objectContaining({ messageId: row.id, attempts: 4 }), 'outbox: message given up');
    clock.advance(60 * 60_000);
    expect(await w.deliverDue()).toBe(0);
    expect((await rows())[0].attempts).toBe(4);
  });

  it('a mail server that is down delays the mail; once it is up again the mail arrives', async () => {
    const { enqueue, rows, worker, clock } = await setup();
    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    // A port where a mail server was and is no longer.
    const gone = await startSmtpSink();
    await gone.stop();
    const w = worker({ transports: { email: smtpMailer(gone.url, 'Foyer <no-reply@foyer.test>'), sms: { delivers: true, send: async () => undefined } } });
    await enqueue(mail(314159, 'carol@example.com'));
    expect(await w.deliverDue()).toBe(0);
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('ECONNREFUSED') });

    const sink = await startSmtpSink(gone.port);
    try {
      clock.advance(2_000);
      expect(await w.deliverDue()).toBe(1);
      const got = await sink.waitFor('carol@example.com');
      expect(got).toMatchObject({ subject: '314159 is your code', text: 'Your code is 314159.', from: 'Foyer <no-reply@foyer.test>' });
      expect(sink.messages).toHaveLength(1);
    } finally {
      await sink.stop();
    }
  });

  it('two workers on separate connections racing over the same rows deliver every message exactly once', async () => {
    const { db, enqueue, rows, clock } = await setup();
    for (let n = 0; n < 60; n++) await enqueue(mail(n));
    const deliveries: string[] = [];
    const instance = (name: string, conn: Db) =>
      createOutboxWorker({
        db: conn.kysely,
        sealer,
        now: clock.now,
        batch: 7,
        transports: {
          email: {
            delivers: true,
            send: async (m) => {
              // Let the other worker run between claim and delivery.
              await new Promise((resolve) => setImmediate(resolve));
              deliveries.push(`${m.to} by ${name}`);
            },
          },
          sms: { delivers: true, send: async () => undefined },
        },
      });
    const a = instance('a', db);
    const b = instance('b', anotherConnection(db));
    const counts = await Promise.all([a.deliverDue(), b.deliverDue(), a.deliverDue(), b.deliverDue()]);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(60);
    const recipients = deliveries.map((d) => d.split(' ')[0]);
    expect(new Set(recipients).size).toBe(60);
    expect(recipients).toHaveLength(60);
    expect((await rows()).every((r) => r.status === 'delivered' && r.attempts === 1)).toBe(true);
  });

  it('a lease that runs out (its worker died) is taken over by another worker', async () => {
    const { db, enqueue, rows, worker, mails, clock } = await setup({ leaseMs: 15_000 });
    await enqueue(mail(1));
    await enqueue(mail(2));
    // A worker claims both, then dies before delivering.
    const dead = await claimDue(db.kysely, { now: clock.now(), leaseMs: 15_000, limit: 10, token: 'dead-worker' });
    expect(dead.map((r) => r.attempts)).toEqual([1, 1]);

    const survivor = worker();
    expect(await survivor.deliverDue()).toBe(0);
    clock.advance(14_999);
    expect(await survivor.deliverDue()).toBe(0);
    expect(mails).toEqual([]);
    clock.advance(1);
    expect(await survivor.deliverDue()).toBe(2);
    expect(mails.map((m) => m.to)).toEqual(['user1@example.com', 'user2@example.com']);
    expect((await rows()).map((r) => [r.status, r.attempts])).toEqual([
      ['delivered', 2],
      ['delivered', 2],
    ]);
    // The dead worker's token no longer counts.
    expect(await markDelivered(db.kysely, dead[0].id, 'dead-worker', clock.now())).toBe(false);
  });

  it('a delivery that hangs counts as failed at its deadline, inside the lease', async () => {
    expect(() => createOutboxWorker({ db: undefined as never, sealer, transports: undefined as never, leaseMs: 1_000, deliveryTimeoutMs: 1_000 })).toThrow(/shorter than its lease/);
    const { enqueue, rows, worker } = await setup();
    vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    let release: () => void = () => undefined;
    const w = worker({
      deliveryTimeoutMs: 50,
      leaseMs: 1_000,
      transports: {
        email: { delivers: true, send: () => new Promise<void>((resolve) => (release = resolve)) },
        sms: { delivers: true, send: async () => undefined },
      },
    });
    await enqueue(mail(9));
    expect(await w.deliverDue()).toBe(0);
    release();
    expect((await rows())[0]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'no answer within 50 ms', claim_token: null });
  });

  it('kick() delivers soon while polling (after its delay); polling alone finds rows other instances wrote', async () => {
    const { enqueue, worker } = await setup();
    let arrived: (m: OutgoingMail) => void = () => undefined;
    const transports = {
      email: { delivers: true, send: async (m: OutgoingMail) => arrived(m) },
      sms: { delivers: true, send: async () => undefined },
    };
    const next = () => new Promise<OutgoingMail>((resolve) => (arrived = resolve));

    // The first poll is an hour away: only the kick can deliver this one now.
    const w = worker({ pollMs: 3_600_000, transports });
    w.start();
    let got = next();
    await enqueue(mail(1));
    w.kick();
    expect((await got).to).toBe('user1@example.com');

    // A kick waits its delay, so that delivery runs after the answer that queued the mail, not during it.
    const delayed = worker({ pollMs: 3_600_000, kickDelayMs: 100, transports });
    delayed.start();
    got = next();
    await enqueue(mail(3));
    const kickedAt = performance.now();
    delayed.kick();
    delayed.kick(); // one pass for both
    expect((await got).to).toBe('user3@example.com');
    expect(performance.now() - kickedAt).toBeGreaterThanOrEqual(95);
    await delayed.stop();

    // Written elsewhere (no kick here): the next poll finds it.
    const polled = worker({ pollMs: 20, transports });
    polled.start();
    got = next();
    await enqueue(mail(2));
    expect((await got).to).toBe('user2@example.com');
  });

  it('flush delivers everything due, then polling is off; stop waits for deliveries in flight', async () => {
    const { enqueue, rows, worker, mails } = await setup({ batch: 10 });
    for (let n = 0; n < 25; n++) await enqueue(mail(n));
    const w = worker({ pollMs: 3_600_000 });
    await w.flush(10_000);
    expect(mails).toHaveLength(25);
    expect((await rows()).every((r) => r.status === 'delivered')).toBe(true);
    // After a flush, kicks and polls do nothing: the process is shutting down.
    await enqueue(mail(99));
    w.start();
    w.kick();
    await w.stop();
    expect(await w.deliverDue()).toBe(0);
    expect(mails).toHaveLength(25);
    expect((await rows()).at(-1)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('flush gives up at its deadline, leaving what could not be delivered pending', async () => {
    const { enqueue, rows, worker } = await setup();
    const warnings = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    let release: () => void = () => undefined;
    const w = worker({
      transports: {
        email: { delivers: true, send: () => new Promise<void>((resolve) => (release = resolve)) },
        sms: { delivers: true, send: async () => undefined },
      },
    });
    await enqueue(mail(1));
    const started = Date.now();
    await w.flush(100);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(warnings).toHaveBeenCalledWith({ timeoutMs: 100 }, 'outbox: flush timed out; undelivered messages stay pending');
    expect((await rows())[0]).toMatchObject({ status: 'pending', payload: expect.any(String) });
    release();
    await w.stop(); // waits for that delivery to settle
    expect((await rows())[0]).toMatchObject({ status: 'delivered', payload: null });
  });

  it('backlog counts pending and failed rows and the age of the oldest pending one; sweep keeps pending rows', async () => {
    const { db, enqueue, worker, clock } = await setup({ retry: { baseDelayMs: 1_000, maxDelayMs: 1_000, attempts: 1 }, retentionMs: 60_000 });
    vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const w = worker();
    expect(await w.backlog()).toEqual({ pending: 0, failed: 0, oldestPendingAgeSeconds: 0 });
    await enqueue(mail(1));
    expect(await w.deliverDue()).toBe(1);
    await enqueueMessage(db.kysely, sealerFor('other'), mail(2), clock.now(), 'pending'); // will fail
    expect(await w.deliverDue()).toBe(0);
    clock.advance(30_000);
    await enqueue(mail(3));
    await db.kysely.updateTable('messages').set({ next_attempt_at: clock.now() + 3_600_000 }).where('status', '=', 'pending').execute();
    clock.advance(12_500);
    expect(await w.backlog()).toEqual({ pending: 1, failed: 1, oldestPendingAgeSeconds: 12 });

    clock.advance(60_000);
    expect(await w.sweep()).toBe(2);
    expect((await db.kysely.selectFrom('messages').select('status').execute()).map((r) => r.status)).toEqual(['pending']);
  });
});
