import path from 'node:path';
import Database from 'better-sqlite3';
import { test, expect, startFoyer, testConfig, type Foyer } from '../fixtures/foyer';
import { SPA } from '../fixtures/attack';
import { FlowBrowser, openScreen } from '../fixtures/http-flow';
import { startSmsReceiver, type SmsReceiver } from '../fixtures/sms';

/**
 * SMS pumping (toll fraud): a script that makes Foyer text the same number, or many numbers, over
 * and over, by signing in again and again and pressing "resend". The per-number and per-address
 * limits cap what is sent, whatever is asked.
 */

const PASSWORD = 'Sms-Pumping-Long-Passphrase-3';
/** UK numbers reserved for drama: never a real phone. */
const NUMBERS = ['+447700900301', '+447700900302', '+447700900303', '+447700900304'];
const PER_NUMBER = 3;
const PER_IP = 6;

let sms: SmsReceiver;
let foyer: Foyer;
test.beforeAll(async () => {
  sms = await startSmsReceiver();
  foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      const users = NUMBERS.map((phone, i) => ({ username: `pump${i}`, email: `pump${i}@example.test`, email_verified: true, password: PASSWORD, phone_number: phone, phone_number_verified: true }));
      return {
        ...c,
        pool: { ...c.pool, mfa: { mode: 'REQUIRED', factors: ['sms'] }, rate_limits: { ...c.pool.rate_limits, sms_per_number_per_hour: PER_NUMBER, sms_per_ip_per_hour: PER_IP } },
        users: [...c.users, ...users],
      };
    },
    env: { SMS_WEBHOOK_URL: sms.url, SMS_WEBHOOK_SECRET: sms.secret },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await sms?.stop();
});

/** Signs `username` in up to the SMS code screen, then presses "resend" `resends` times. */
async function pump(username: string, resends: number): Promise<number[]> {
  const b = new FlowBrowser({ issuer: foyer.url });
  const login = await openScreen(b, SPA, 'login');
  const posted = await b.submit(login, 'login-form', { identifier: username, password: PASSWORD });
  // Past the limit the sign-in itself may be refused before the code screen.
  if (!posted.location) return [posted.status];
  const mfa = await b.open(posted.location);
  const statuses = [mfa.status];
  if (!/data-testid="mfa-form"/.test(mfa.body)) return statuses;
  for (let i = 0; i < resends; i++) {
    const [target, fields] = b.fill(mfa, 'mfa-form', {});
    statuses.push((await b.request('POST', target, [...fields, ['intent', 'resend']])).status);
  }
  return statuses;
}

test(`SMS pumping: one number gets at most ${PER_NUMBER} texts, one address at most ${PER_IP}, however often it is asked`, async () => {
  const statuses: number[] = [];
  // One number: five sign-ins, each with three resends.
  for (let i = 0; i < 5; i++) statuses.push(...(await pump('pump0', 3)));
  // Then the other numbers, from the same address.
  for (const u of ['pump1', 'pump2', 'pump3']) for (let i = 0; i < 2; i++) statuses.push(...(await pump(u, 2)));
  expect(statuses.filter((s) => s >= 500), 'no answer is a server error').toEqual([]);
  expect(statuses.filter((s) => s === 429).length, 'the refused requests are told so (429)').toBeGreaterThan(0);

  // Wait until the outbox has nothing left to send, then count what the provider was asked.
  const db = new Database(path.join(foyer.dataDir, 'foyer.db'), { readonly: true, fileMustExist: true });
  try {
    await expect.poll(() => (db.prepare("SELECT count(*) AS n FROM messages WHERE channel = 'sms' AND status = 'pending'").get() as { n: number }).n, { timeout: 30_000 }).toBe(0);
    const queued = (db.prepare("SELECT count(*) AS n FROM messages WHERE channel = 'sms'").get() as { n: number }).n;
    expect(queued, 'texts queued from this address').toBeLessThanOrEqual(PER_IP);
  } finally {
    db.close();
  }
  await expect.poll(() => sms.texts.length).toBeGreaterThan(0);
  const perNumber = Object.fromEntries(NUMBERS.map((n) => [n, sms.texts.filter((t) => t.to === n).length]));
  expect(perNumber[NUMBERS[0]], JSON.stringify(perNumber)).toBeLessThanOrEqual(PER_NUMBER);
  expect(sms.texts.length, JSON.stringify(perNumber)).toBeLessThanOrEqual(PER_IP);
  expect(sms.requests()).toBe(sms.texts.length);
});
