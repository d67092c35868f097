/**
 * `npm run bench:enumeration`: enumeration by timing. For each screen that could tell whether an
 * account exists (sign-in with a wrong password, forgot password, resending the reset code, a
 * wrong code on the reset screen, sign-up), posts for a known and an unknown account alternate,
 * and the medians of the answer times must be within 10 % of each other. Exits 1 when one is not. Run it on a quiet machine:
 * on a shared 2-core CI runner the noise is larger than the difference looked for, which is why
 * this is a benchmark and not a test.
 *
 *   npm run bench:enumeration -- [rounds, default 30] [part of a screen's name, to time only those]
 */
import { ALICE, startFoyer, testConfig } from '../e2e/fixtures/foyer';
import { startSmtpSink, type Mail, type SmtpSink } from '../server/testing/smtp';
import { SPA } from '../e2e/fixtures/attack';
import { GOOD_PASSPHRASE, freshUser } from '../e2e/fixtures/flows';
import { FlowBrowser, openScreen, type Answer } from '../e2e/fixtures/http-flow';

const ROUNDS = Number(process.argv[2] ?? 30);
const ONLY = process.argv.slice(3).map((s) => s.toLowerCase());
const TOLERANCE = 0.1;
const SETTLE_MS = 150;

/**
 * Known accounts for the screens that mail a code: one per post, as an attacker probes each
 * address once (the same account posted again soon is over its send quota, and mails nothing).
 */
const KNOWN_FOR_MAIL = 3 * ROUNDS;
let knownUsed = 0;
const nextKnown = () => {
  if (knownUsed >= KNOWN_FOR_MAIL) throw new Error('more posts than seeded accounts');
  return `known${knownUsed++}@example.test`;
};

/**
 * What a post needs: the server, who is typed, whether that is an account, and `delivered(who)`,
 * which waits for a mail the server sent `who`. A known account's mail is delivered after the
 * answer, in the background: a post waits for it before anything else is timed, so each post is
 * timed alone (the delivery's own cost is the outbox's, not the screen's).
 */
type Post = { issuer: string; who: string; known: boolean; delivered: (who: string) => Promise<void> };
/** Who the screens that mail a code are posted for: a fresh account, or a name no account has. */
const mailed = { known: nextKnown, unknown: () => freshUser('ghost').email };

type Scenario = { name: string; known: () => string; unknown: () => string; post: (p: Post) => Promise<number> };

/**
 * Prepares everything up to the post, then times the post alone. Known and unknown both pause
 * the same moment first, so that neither is timed while the server still finishes what the
 * preparation started (an equal pause: what must be alike is the conditions, no event is awaited).
 */
async function timed(prepare: () => Promise<() => Promise<Answer>>): Promise<number> {
  const send = await prepare();
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const t0 = process.hrtime.bigint();
  await send();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function forgotPage(issuer: string) {
  const b = new FlowBrowser({ issuer });
  const login = await openScreen(b, SPA, 'login');
  const page = await b.open(/href="([^"]*forgot-password[^"]*)"/.exec(login.body)![1].replace(/&amp;/g, '&'));
  return { b, page };
}

/** The reset screen, after asking for a reset for `who` (and, for an account, its mail delivered). */
async function resetPage({ issuer, who, known, delivered }: Post) {
  const { b, page } = await forgotPage(issuer);
  const reset = await b.open((await b.submit(page, 'forgot-form', { identifier: who })).location!);
  if (known) await delivered(who);
  return { b, reset };
}

const scenarios: Scenario[] = [
  {
    name: 'sign-in, wrong password',
    known: () => ALICE.username,
    unknown: () => freshUser('ghost').username,
    post: ({ issuer, who }) =>
      timed(async () => {
        const b = new FlowBrowser({ issuer });
        const page = await openScreen(b, SPA, 'login');
        return () => b.submit(page, 'login-form', { identifier: who, password: 'Not-The-Password-123456' });
      }),
  },
  {
    name: 'forgot password',
    ...mailed,
    post: ({ issuer, who, known, delivered }) =>
      timed(async () => {
        const { b, page } = await forgotPage(issuer);
        return () => b.submit(page, 'forgot-form', { identifier: who });
      }).finally(() => known && delivered(who)),
  },
  {
    name: 'resend the reset code',
    ...mailed,
    post: (p) =>
      timed(async () => {
        const { b, reset } = await resetPage(p);
        const [target, fields] = b.fill(reset, 'reset-form', {});
        return () => b.request('POST', target, [...fields, ['intent', 'resend']]);
      }).finally(() => p.known && p.delivered(p.who)),
  },
  {
    name: 'reset, a wrong code',
    ...mailed,
    post: (p) =>
      timed(async () => {
        const { b, reset } = await resetPage(p);
        return () => b.submit(reset, 'reset-form', { code: '000000', password: GOOD_PASSPHRASE });
      }),
  },
  {
    name: 'sign-up, e-mail taken or new',
    known: () => ALICE.email,
    unknown: () => freshUser('new').email,
    post: ({ issuer, who }) =>
      timed(async () => {
        const b = new FlowBrowser({ issuer });
        const page = await openScreen(b, SPA, 'signup');
        return () => b.submit(page, 'signup-form', { username: freshUser('su').username, email: who, password: GOOD_PASSPHRASE });
      }),
  },
];

/** Waits for a mail to `who` that was not waited for before. */
function deliveredTo(sink: SmtpSink) {
  const seen = new Set<Mail>();
  return async (who: string) => {
    seen.add(await sink.waitFor(who, (m) => !seen.has(m)));
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  // Generous lockout and rate limits: this measures answers, not the limits.
  const sink = await startSmtpSink();
  const foyer = await startFoyer({
    smtpUrl: sink.url,
    config: (url: string) => {
      const c = testConfig(url);
      const known = Array.from({ length: KNOWN_FOR_MAIL }, (_, i) => ({ username: `known${i}`, email: `known${i}@example.test`, email_verified: true, password: ALICE.password }));
      return { ...c, pool: { ...c.pool, lockout: { free_failures: 100, base_seconds: 1, max_seconds: 1 } }, users: [...c.users, ...known] };
    },
  });
  const delivered = deliveredTo(sink);
  let failed = false;
  try {
    for (const s of scenarios.filter((x) => ONLY.length === 0 || ONLY.some((o) => x.name.includes(o)))) {
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        known.push(await s.post({ issuer: foyer.url, who: s.known(), known: true, delivered }));
        unknown.push(await s.post({ issuer: foyer.url, who: s.unknown(), known: false, delivered }));
      }
      const [k, u] = [median(known), median(unknown)];
      const diff = Math.abs(k - u) / Math.min(k, u);
      const ok = diff <= TOLERANCE;
      failed ||= !ok;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${s.name}: median ${k.toFixed(1)} ms known, ${u.toFixed(1)} ms unknown (${(diff * 100).toFixed(1)} % apart, ${ROUNDS} each)`);
    }
  } finally {
    await foyer.stop();
    await sink.stop();
  }
  process.exit(failed ? 1 : 0);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
