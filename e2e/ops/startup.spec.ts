import { START_TIMEOUT_MS } from '../fixtures/server';
import { expect, opsConfig, test } from '../fixtures/ops';
import { describeProbe, probe, tally, type Probe } from '../fixtures/probe';

/**
 * A rolling deploy sends traffic to an instance the moment its port accepts connections. From the
 * moment Foyer is spawned, a request every 100 ms: each must be refused (nothing listens yet) or
 * answered, never accepted and left hanging, until a few seconds after it says it is ready.
 */

const EVERY_MS = 100;
const AFTER_READY_MS = 3_000;
/** Far more than any answer takes here; a request the server accepted but cannot answer waits forever. */
const BOUND_MS = 15_000;
/** Pages and protocol paths alike: the port must open only once every route can answer. */
const PATHS = ['/health/live', '/.well-known/openid-configuration', '/en', '/health/ready', '/.well-known/jwks.json'];

test('while Foyer starts, every request is refused or answered, none hangs', async ({ fleet }, testInfo) => {
  test.setTimeout(START_TIMEOUT_MS + BOUND_MS + 30_000);
  const spawned = await fleet.spawn({ config: opsConfig() });
  const t0 = Date.now();
  let readyAt: number | undefined;
  const ready = spawned.ready.then((foyer) => {
    readyAt = Date.now();
    return foyer;
  });

  const probes: Promise<Probe>[] = [];
  const firing = new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (readyAt !== undefined && Date.now() >= readyAt + AFTER_READY_MS) {
        clearInterval(timer);
        resolve();
        return;
      }
      probes.push(probe(spawned.origin, { path: PATHS[probes.length % PATHS.length], timeoutMs: BOUND_MS }));
    }, EVERY_MS);
    // Stop firing if the server never becomes ready; `ready` then fails the test with its output.
    ready.catch(() => {
      clearInterval(timer);
      resolve();
    });
  });
  await ready;
  await firing;
  const results = await Promise.all(probes);

  const { outcomes, statuses } = tally(results);
  const firstAnswer = results.find((p) => p.outcome === 'answered');
  const summary =
    `${results.length} requests: ${outcomes.refused ?? 0} refused, ${outcomes.answered ?? 0} answered ` +
    `(statuses ${JSON.stringify(statuses)}), others ${JSON.stringify(Object.fromEntries(Object.entries(outcomes).filter(([k]) => k !== 'refused' && k !== 'answered')))}; ` +
    `ready line at +${readyAt! - t0} ms, first answer sent at +${firstAnswer ? firstAnswer.sentAt - t0 : '-'} ms`;
  testInfo.annotations.push({ type: 'start-up', description: summary });
  console.log(`start-up: ${summary}`);

  const bad = results.filter((p) => p.outcome !== 'refused' && p.outcome !== 'answered');
  expect(bad.map((p) => describeProbe(p, t0)), 'requests neither refused nor answered').toEqual([]);
  // The test saw the server come up: refused at first, answered at the end.
  expect(outcomes.refused ?? 0, 'requests refused before the port opened').toBeGreaterThan(0);
  expect(results.slice(-5).map((p) => p.outcome), 'the last requests, after the ready line').toEqual(Array(5).fill('answered'));
});
