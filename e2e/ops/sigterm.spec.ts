import { randomBytes } from 'node:crypto';
import { APP, expect, opsConfig, test } from '../fixtures/ops';
import { FlowBrowser, openScreen } from '../fixtures/http-flow';
import { describeProbe, probe, tally, type Probe, type ProbeRequest } from '../fixtures/probe';

/**
 * SIGTERM under load, as an orchestrator stops an instance during a rolling deploy: clients keep
 * sending requests of every kind (pages, discovery, token requests, sign-in posts), each on a
 * connection of its own so that "accepted" is plain. Every request whose connection was accepted
 * gets a complete answer below 500; connections opened after the shutdown began are refused; the
 * process exits 0 within its grace period.
 */

const GRACE_SECONDS = 10;
const CLIENTS = 8;
/** Requests answered before the signal, so that it lands on a server at work. */
const WARM = 40;

test('SIGTERM under load: accepted requests are answered, later ones refused, exit 0 in time', async ({ fleet }, testInfo) => {
  test.setTimeout(120_000);
  const foyer = await fleet.start({ config: opsConfig(), env: { SHUTDOWN_TIMEOUT_SECONDS: String(GRACE_SECONDS) } });

  // Browsers on the sign-in screen, whose forms the clients post (with unknown users: a 400 each time).
  const browsers = Array.from({ length: CLIENTS }, () => new FlowBrowser({ issuer: foyer.url }));
  const pages = await Promise.all(browsers.map((b) => openScreen(b, APP, 'login')));
  const kinds: ((c: number) => ProbeRequest)[] = [
    (c) => ({ ...browsers[c].draft('GET', pages[c].path) }),
    () => ({ path: '/.well-known/openid-configuration' }),
    () => ({
      method: 'POST',
      path: '/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: randomBytes(32).toString('base64url'),
        redirect_uri: APP.redirectUri,
        client_id: APP.clientId,
        code_verifier: randomBytes(32).toString('base64url'),
      }).toString(),
    }),
    (c) => ({ method: 'POST', ...browsers[c].draft('POST', ...browsers[c].fill(pages[c], 'login-form', { identifier: `nobody-${randomBytes(4).toString('hex')}`, password: 'not the password at all' })) }),
  ];

  const results: Probe[] = [];
  let warmed: () => void;
  const isWarm = new Promise<void>((resolve) => (warmed = resolve));
  let exitedAt: number | undefined;
  const exited = foyer.exited.then((exit) => {
    exitedAt = Date.now();
    return exit;
  });
  const client = async (c: number) => {
    // Until the process is gone, plus one request each after that (which must be refused).
    for (let n = c; ; n++) {
      const last = exitedAt !== undefined;
      results.push(await probe(foyer.origin, { ...kinds[n % kinds.length](c), timeoutMs: (GRACE_SECONDS + 20) * 1000 }));
      if (results.filter((p) => p.outcome === 'answered').length >= WARM) warmed();
      if (last) return;
    }
  };
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

  await isWarm;
  const drainLine = foyer.printed(/shutting down/, (GRACE_SECONDS + 20) * 1000);
  const sigtermAt = Date.now();
  foyer.signal('SIGTERM');
  const drainingAt = await drainLine.catch(() => undefined);
  const exit = await exited;
  await Promise.all(clients);
  expect(drainingAt, `Foyer never said it was shutting down after SIGTERM; it ended with ${JSON.stringify(exit)}`).toBeDefined();

  const t0 = sigtermAt;
  const inFlight = results.filter((p) => p.connectedAt !== undefined && p.connectedAt < sigtermAt && p.endedAt > sigtermAt);
  const accepted = results.filter((p) => p.connectedAt !== undefined);
  const { outcomes, statuses } = tally(results);
  const summary =
    `${results.length} requests: ${JSON.stringify(outcomes)}, statuses ${JSON.stringify(statuses)}; ${inFlight.length} in flight at SIGTERM; ` +
    `"shutting down" printed +${drainingAt! - t0} ms, exit ${JSON.stringify(exit)} +${exitedAt! - t0} ms after SIGTERM`;
  testInfo.annotations.push({ type: 'sigterm', description: summary });
  console.log(`SIGTERM: ${summary}`);

  // `dropped (ECONNRESET)` here: the connection was established, then reset with no answer, e.g.
  // because it still waited in the listening socket's accept queue when the server closed that socket.
  expect.soft(
    accepted.filter((p) => p.outcome !== 'answered' || p.status! >= 500).map((p) => describeProbe(p, t0)),
    'accepted requests without a complete answer below 500',
  ).toEqual([]);
  expect.soft(
    results.filter((p) => p.sentAt >= drainingAt! && p.outcome !== 'refused').map((p) => describeProbe(p, t0)),
    'requests sent after the shutdown began that were not refused',
  ).toEqual([]);
  expect.soft(results.filter((p) => p.connectedAt === undefined && p.outcome !== 'refused').map((p) => describeProbe(p, t0)), 'other failures').toEqual([]);
  expect.soft(exit, 'exit status').toEqual({ code: 0, signal: null });
  expect.soft(exitedAt! - sigtermAt, 'ms from SIGTERM to exit').toBeLessThanOrEqual(GRACE_SECONDS * 1000 + 5_000);
  // The signal found work to finish, or this test proved nothing about draining.
  expect.soft(inFlight.length, 'requests in flight when SIGTERM was sent').toBeGreaterThan(0);
});
