import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readOutbox } from '../mail/mailer';
import { describeEachDb } from '../testing/databases';
import { outboxSmsSender, webhookSmsSender } from './sender';
import { renderSms } from './templates';

type Received = { method: string; headers: http.IncomingHttpHeaders; body: string };

/** A real receiver on 127.0.0.1: answers each request with the next status (or hangs). */
async function receiver(answers: (number | 'hang' | { redirect: string })[] = [200]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      if (answer === 'hang') return;
      if (typeof answer === 'object') {
        res.writeHead(302, { location: answer.redirect }).end();
        return;
      }
      res.writeHead(answer, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  const stop = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  stops.push(stop);
  return { url, received };
}
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((s) => s()));
});

const SECRET = 'webhook-secret-for-tests-0123456789';
const sms = { to: '+447700900123', body: '123456 is your code', purpose: 'mfa' as const };

describe('SMS webhook sender', () => {
  it('POSTs { to, body, purpose } as JSON, signed with HMAC-SHA256 over the timestamp and the body', async () => {
    const r = await receiver();
    const now = Date.UTC(2030, 0, 1);
    await webhookSmsSender(r.url, SECRET, { now: () => now }).send(sms);
    expect(r.received).toHaveLength(1);
    const [got] = r.received;
    expect(got.method).toBe('POST');
    expect(got.headers['content-type']).toBe('application/json');
    expect(JSON.parse(got.body)).toEqual(sms);
    const timestamp = String(got.headers['x-foyer-timestamp']);
    expect(timestamp).toBe(String(now / 1000));
    // Verified the way a receiver would, independently of the sender's code.
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${got.body}`).digest('hex')}`);
    const given = Buffer.from(String(got.headers['x-foyer-signature']));
    expect(given.length === expected.length && timingSafeEqual(given, expected)).toBe(true);
  });

  it('sends no signature headers without a secret', async () => {
    const r = await receiver();
    await webhookSmsSender(r.url).send(sms);
    expect(r.received[0].headers['x-foyer-signature']).toBeUndefined();
    expect(r.received[0].headers['x-foyer-timestamp']).toBeUndefined();
  });

  it('a non-2xx answer, a redirect or a slow receiver is a failure', async () => {
    const failing = await receiver([503]);
    await expect(webhookSmsSender(failing.url, SECRET).send(sms)).rejects.toThrow(/HTTP 503/);
    const moved = await receiver([{ redirect: 'http://127.0.0.1:9/elsewhere' }]);
    await expect(webhookSmsSender(moved.url, SECRET).send(sms)).rejects.toThrow(/HTTP 302/);
    const slow = await receiver(['hang']);
    const started = Date.now();
    await expect(webhookSmsSender(slow.url, SECRET, { timeoutMs: 300 }).send(sms)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('an unreachable receiver is a failure, not a hang', async () => {
    const r = await receiver();
    await stops.pop()!();
    await expect(webhookSmsSender(r.url, SECRET, { timeoutMs: 1_000 }).send(sms)).rejects.toThrow();
  });
});

describe('SMS texts', () => {
  it('are written in the reader’s language from the catalogues', () => {
    const en = renderSms('+447700900123', { kind: 'mfaCode', code: '123456', minutes: 5 }, 'en', 'Acme');
    expect(en).toEqual({ to: '+447700900123', purpose: 'mfa', body: '123456 is your Acme sign-in code. It expires in 5 minutes. Do not share it.' });
    const ar = renderSms('+447700900123', { kind: 'verifyPhone', code: '654321', minutes: 5 }, 'ar', 'Acme');
    expect(ar.purpose).toBe('verify_phone');
    expect(ar.body).toContain('654321');
    expect(ar.body).toContain('دقائق');
    // An unknown locale falls back to English.
    expect(renderSms('+1', { kind: 'verifyPhone', code: '1', minutes: 5 }, 'xx', 'Acme').body).toMatch(/^1 is your Acme code to verify/);
  });
});

describeEachDb('SMS dev outbox', (open) => {
  it('keeps texts beside mail, marked as SMS', async () => {
    const db = await open();
    await outboxSmsSender(db.kysely, () => 42).send(sms);
    const [row] = await readOutbox(db.kysely);
    expect(row).toMatchObject({ channel: 'sms', recipient: sms.to, body: sms.body, subject: '', created_at: 42 });
  });
});
