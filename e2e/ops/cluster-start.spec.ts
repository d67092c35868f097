import { expect, opsConfig, test } from '../fixtures/ops';
import { GOOD_PASSPHRASE } from '../fixtures/flows';

/**
 * A deployment's instances start at the same moment (compose, a scaled deployment), all on one
 * empty database: each must come up, whichever migrates it and applies the config first. (Three,
 * so that two of them nearly always collide.)
 */
test('three instances started at once on an empty database all come up', async ({ fleet }) => {
  test.setTimeout(180_000);
  // Some users to seed, as a real config has: their passwords take a moment to hash.
  const users = Array.from({ length: 10 }, (_, i) => ({ username: `owner${i}`, email: `owner${i}@example.test`, password: GOOD_PASSPHRASE }));
  const cluster = await fleet.cluster({ instances: 3, together: true, config: opsConfig(users) });
  for (const origin of cluster.origins) {
    const res = await fetch(`${origin}/health/ready`);
    expect(res.status, `${origin}/health/ready`).toBe(200);
  }
  // The config was applied once: one account for each of its users.
  const rows = await cluster.db.query<{ username_lower: string }>(`select username_lower from users order by username_lower`);
  expect(rows.map((r) => r.username_lower)).toEqual(users.map((u) => u.username).sort());
});
