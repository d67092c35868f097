import { expect, opsConfig, test } from '../fixtures/ops';
import { GOOD_PASSPHRASE } from '../fixtures/flows';

/**
 * A deployment's instances start at the same moment (compose, a scaled deployment), all on one
 * empty database: each must come up, whichever migrates it and applies the config first. (Three,
 * so that two of them nearly always collide.)
 */
test('three instances started at once on an empty database all come up', async ({ fleet }) => {
  test.setTimeout(180_000);
  const owner = { username: 'owner', email: 'owner@example.test', password: GOOD_PASSPHRASE };
  const cluster = await fleet.cluster({ instances: 3, together: true, config: opsConfig([owner]) });
  for (const origin of cluster.origins) {
    const res = await fetch(`${origin}/health/ready`);
    expect(res.status, `${origin}/health/ready`).toBe(200);
  }
  // The config was applied once: one account for its one user.
  const rows = await cluster.db.query<{ n: string }>(`select count(*) as n from users where username_lower = $1`, ['owner']);
  expect(Number(rows[0].n)).toBe(1);
});
