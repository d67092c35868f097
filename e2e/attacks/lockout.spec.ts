import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { GOOD_PASSPHRASE } from '../fixtures/flows';
import { expect, SPA_REDIRECT_URI, test, type Foyer } from '../fixtures/foyer';
import { describeAnswer, FlowBrowser, openScreen, openSignUp, postSignUp, type Answer, type TestClient } from '../fixtures/http-flow';

/**
 * Guessing secrets, in raw HTTP against the production build (the worker's Foyer: 4 free
 * failures, then 30 s locks doubling). Every account here is made by the test, so no lock it sets
 * touches another test. Where a test needs time to pass (a lock or a code's lifetime), it moves
 * the stored deadline into the past instead of waiting.
 */

const SPA: TestClient = { clientId: 'spa', redirectUri: SPA_REDIRECT_URI };
const FREE_FAILURES = 4;
const WRONG_PASSWORD = 'not the password at all, surely';

const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const database = (foyer: Foyer) => {
  const db = new Database(path.join(foyer.dataDir, 'foyer.db'));
  db.pragma('busy_timeout = 5000');
  return db;
};
const fresh = (what: string) => {
  const tag = `${what}-${randomBytes(4).toString('hex')}`;
  return { username: tag, email: `${tag}@example.test`, password: GOOD_PASSPHRASE };
};
const expectPage = (a: Answer) => expect(a.status, describeAnswer(a)).toBe(200);

/** Signs up through the hosted screens: the confirmation screen, and when the code was asked for. */
async function signUp(foyer: Foyer, user: ReturnType<typeof fresh>): Promise<{ b: FlowBrowser; confirm: Answer; sentAfter: number }> {
  const b = new FlowBrowser({ issuer: foyer.url });
  const sentAfter = Date.now();
  const posted = await postSignUp(b, await openSignUp(b, SPA), user);
  expect(posted.location, describeAnswer(posted)).toMatch(/\/en\/confirm\?uid=/);
  return { b, confirm: await b.open(posted.location!), sentAfter };
}

/** The reset screen for `identifier`, reached through the sign-in screen's "forgot" link. */
async function resetScreen(foyer: Foyer, identifier: string): Promise<{ b: FlowBrowser; reset: Answer }> {
  const b = new FlowBrowser({ issuer: foyer.url });
  const login = await openScreen(b, SPA, 'login');
  const forgot = await b.open(login.path.replace('/en/login?', '/en/forgot-password?'));
  const posted = await b.submit(forgot, 'forgot-form', { identifier });
  expect(posted.location, describeAnswer(posted)).toMatch(/\/en\/reset-password\?uid=/);
  return { b, reset: await b.open(posted.location!) };
}

/** Posts a screen's form with its secondary "resend" button. */
function resend(b: FlowBrowser, page: Answer, testId: string): Promise<Answer> {
  const [target, fields] = b.fill(page, testId, {});
  return b.request('POST', target, [...fields, ['intent', 'resend']]);
}

test('lockout holds under a burst of concurrent guesses', async ({ foyer, smtp }) => {
  const user = fresh('burst');
  const { b, confirm, sentAfter } = await signUp(foyer, user);
  const confirmed = await b.submit(confirm, 'confirm-form', { code: await smtp.codeFor(user.email, sentAfter) });
  expect(confirmed.status, describeAnswer(confirmed)).toBeGreaterThanOrEqual(300);

  const browsers = Array.from({ length: 32 }, () => new FlowBrowser({ issuer: foyer.url }));
  const pages = await Promise.all(browsers.map((x) => openScreen(x, SPA, 'login')));
  const guess = (i: number, password: string) => browsers[i].submit(pages[i], 'login-form', { identifier: user.username, password });
  // Lock the account, then let the lock run out (its deadline moved into the past).
  for (let i = 0; i < FREE_FAILURES; i++) expect((await guess(31, WRONG_PASSWORD)).error).toBe('Incorrect username or password.');
  expect((await guess(31, WRONG_PASSWORD)).error).toMatch(/^Too many failed attempts/);
  const db = database(foyer);
  try {
    const { id } = db.prepare('select id from users where username_lower = ?').get(user.username) as { id: string };
    const key = `user:${id}`;
    db.prepare('update lockouts set locked_until = ? where key = ?').run(Date.now() - 1, key);

    // 30 wrong guesses and the right password at once, the right one sent last.
    const answers = await Promise.all([...Array.from({ length: 30 }, (_, i) => guess(i, WRONG_PASSWORD)), guess(30, user.password)]);
    expect(answers[30].error, `the right password, sent last: ${describeAnswer(answers[30])}`).toMatch(/^Too many failed attempts/);
    // Every guess is told to wait: the one evaluated by the lock it set, the others by that lock.
    for (const a of answers) expect(a.status, describeAnswer(a)).toBe(429);
    // One guess was evaluated (the one that took the attempt and set the next lock); the rest were refused unverified.
    const row = db.prepare('select failures from lockouts where key = ?').get(key) as { failures: number } | undefined;
    expect(row?.failures).toBe(FREE_FAILURES + 2);
  } finally {
    db.close();
  }
});

test('reset screen answers the same for unknown accounts', async ({ foyer, smtp }) => {
  const user = fresh('reset');
  await signUp(foyer, user);
  // By username: the new account's e-mail is not verified yet, so not a sign-in name.
  const ghost = fresh('ghost').username;
  const askedAt = Date.now();
  const known = await resetScreen(foyer, user.username);
  const unknown = await resetScreen(foyer, ghost);
  const seen = (a: Answer) => ({ status: a.status, error: a.error });
  expect(seen(unknown.reset)).toEqual(seen(known.reset));

  let wrong = otherCode(await smtp.codeFor(user.email, askedAt));
  const both = async (act: (x: { b: FlowBrowser; reset: Answer }) => Promise<Answer>) => {
    const k = await act(known);
    const u = await act(unknown);
    expect(seen(u), `unknown account answered ${describeAnswer(u)}, known ${describeAnswer(k)}`).toEqual(seen(k));
    return k;
  };
  const tryCode = (x: { b: FlowBrowser; reset: Answer }) => x.b.submit(x.reset, 'reset-form', { code: wrong, password: GOOD_PASSPHRASE });
  const errors: (string | undefined)[] = [];
  for (let i = 0; i < 6; i++) errors.push((await both(tryCode)).error);
  expect(errors).toEqual([
    ...Array(FREE_FAILURES).fill('This code is not right. Check it and try again.'),
    'Too many wrong codes. Ask for a new one.',
    'Too many wrong codes. Ask for a new one.',
  ]);

  const resentAt = Date.now();
  expectPage(await both((x) => resend(x.b, x.reset, 'reset-form')));
  wrong = otherCode(await smtp.codeFor(user.email, resentAt));
  // The codes' lifetime passes (the stored deadlines moved into the past): "expired" for both.
  const db = database(foyer);
  try {
    db.prepare("update codes set expires_at = ? where purpose = 'reset_password' and user_id = (select id from users where username_lower = ?)").run(Date.now() - 1, user.username);
    db.prepare('update decoy_codes set expires_at = ? where id = ?').run(Date.now() - 1, `reset_password:name:${ghost}`);
  } finally {
    db.close();
  }
  expect((await both(tryCode)).error).toBe('This code has expired. Ask for a new one.');
});

test('codes are counted across resends', async ({ foyer, smtp }) => {
  const user = fresh('resend');
  const { b, confirm, sentAfter } = await signUp(foyer, user);
  const first = await smtp.codeFor(user.email, sentAfter);
  for (let i = 0; i < FREE_FAILURES; i++) {
    expect((await b.submit(confirm, 'confirm-form', { code: otherCode(first) })).error).toBe('This code is not right. Check it and try again.');
  }
  const resentAt = Date.now();
  expectPage(await resend(b, confirm, 'confirm-form'));
  const second = await smtp.codeFor(user.email, resentAt);
  // A new code brings no fresh tries: the next wrong one locks, and then even the right one waits.
  expect((await b.submit(confirm, 'confirm-form', { code: otherCode(second) })).error).toMatch(/^Too many failed attempts/);
  const right = await b.submit(confirm, 'confirm-form', { code: second });
  expect(right.status, describeAnswer(right)).toBe(429);
  expect(right.error).toMatch(/^Too many failed attempts/);
});

