import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { APP, expect, opsConfig, test } from '../fixtures/ops';
import { describeAnswer, FlowBrowser, openSignUp, postSignUp, screenOf, unanswered, type Answer } from '../fixtures/http-flow';
import { GOOD_PASSPHRASE } from '../fixtures/flows';

/**
 * kill -9 while sign-ups are under way, then a restart on the same data: every sign-up that was
 * answered (sent on to the confirmation screen) exists, and its confirmation code reaches the
 * user, even if the mail was still on its way when the process died.
 *
 * The mail server is slow for the whole first run (it reads each message but does not acknowledge
 * it), so every code is still in flight when the process is killed: a mail sent from memory after
 * the answer is lost, one kept in the database (an outbox) is sent again after the restart, once
 * the dead process's claim on it has expired.
 */

const SIGN_UPS = 40;
/** SIGKILL once this many sign-ups have been answered. */
const KILL_AFTER = 15;
/** The outbox's claim on a message being sent (about 15 s), and a margin for a busy machine. */
const REDELIVERY_MS = 15_000 + 20_000;

test('kill -9 during sign-ups, restart: every answered sign-up exists and gets its code', async ({ fleet }) => {
  test.setTimeout(180_000);
  const smtp = await fleet.smtp();
  smtp.hold();
  // The embedded SQLite database, whatever DATABASE_URL the environment has: the test reads its file.
  const foyer = await fleet.start({ config: opsConfig(), smtpUrl: smtp.url, env: { DATABASE_URL: '' } });
  const tag = randomBytes(3).toString('hex');
  const users = Array.from({ length: SIGN_UPS }, (_, i) => ({ username: `crash-${tag}-${i}`, email: `crash-${tag}-${i}@example.test`, password: GOOD_PASSPHRASE }));

  // Every browser on its sign-up screen first, so that the posts are what runs when the process dies.
  const browsers = users.map(() => new FlowBrowser({ issuer: foyer.url }));
  const pages = await Promise.all(browsers.map((b) => openSignUp(b, APP)));

  const answered: { user: (typeof users)[number]; answer: Answer }[] = [];
  const lost: string[] = [];
  let killed: Promise<unknown> | undefined;
  await Promise.all(
    users.map(async (user, i) => {
      try {
        const answer = await postSignUp(browsers[i], pages[i], user);
        answered.push({ user, answer });
        if (answered.length >= KILL_AFTER) killed ??= foyer.kill();
      } catch (e) {
        // Cut off by the kill: no answer, so nothing is promised for this one.
        if (!unanswered(e)) throw e;
        lost.push(`${user.username}: ${(e as Error).message}`);
      }
    }),
  );
  expect(killed, `the process was killed mid-way (only ${answered.length} of ${SIGN_UPS} sign-ups were answered)`).toBeDefined();
  await killed;
  console.log(`kill -9: ${answered.length} sign-ups answered before the kill, ${lost.length} cut off`);

  // What the answered ones were told: the confirmation screen, nothing else.
  expect(answered.filter((a) => screenOf(a.answer) !== 'confirm').map((a) => describeAnswer(a.answer)), 'answers other than the confirmation screen').toEqual([]);

  // The mail server recovers; the process comes back on the same DATA_DIR and port.
  await smtp.release();
  const droppedAtKill = smtp.dropped.length;
  await foyer.restart();

  // Every answered sign-up is in the database.
  const db = new Database(path.join(foyer.dataDir, 'foyer.db'), { readonly: true, fileMustExist: true });
  let stored: Set<string>;
  try {
    const rows = db.prepare(`select username_lower from users where username_lower like ?`).all(`crash-${tag}-%`) as { username_lower: string }[];
    stored = new Set(rows.map((r) => r.username_lower));
  } finally {
    db.close();
  }
  expect(answered.filter((a) => !stored.has(a.user.username)).map((a) => a.user.username), 'answered sign-ups missing from the database').toEqual([]);

  // Every answered sign-up's code arrives (again), waited for one by one in parallel.
  const missing = (
    await Promise.all(
      answered.map(async ({ user }) => {
        try {
          await smtp.codeFor(user.email, 0, REDELIVERY_MS);
          return undefined;
        } catch {
          return user.email;
        }
      }),
    )
  ).filter((x): x is string => x !== undefined);
  expect(
    missing,
    `answered sign-ups whose confirmation code never arrived within ${REDELIVERY_MS / 1000} s of the restart ` +
      `(${droppedAtKill} messages were mid-delivery when the process died and were never acknowledged)`,
  ).toEqual([]);
});
