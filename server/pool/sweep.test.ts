import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool } from './index';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const DAY = 24 * 3600_000;

describeEachDb('the pool sweeps its own tables', (open) => {
  it('removes expired flows, challenges, old rate-limit windows and long-over locks, keeps live ones', async () => {
    const db = await open();
    const k = db.kysely;
    await k.insertInto('sign_in_flows').values([{ uid: 'old', state: '{}', expires_at: NOW - 1 }, { uid: 'live', state: '{}', expires_at: NOW + 60_000 }]).execute();
    await k.insertInto('webauthn_challenges').values([
      { binding: 'old', purpose: 'authentication', challenge: 'c', expires_at: NOW - 1 },
      { binding: 'live', purpose: 'authentication', challenge: 'c', expires_at: NOW + 60_000 },
    ]).execute();
    await k.insertInto('rate_limits').values([{ key: 'old', window_start: NOW - DAY - 1, count: 1 }, { key: 'live', window_start: NOW - 60_000, count: 1 }]).execute();
    await k.insertInto('lockouts').values([
      { key: 'old', failures: 5, locked_until: NOW - DAY - 1, updated_at: NOW - DAY - 1 },
      { key: 'live', failures: 5, locked_until: NOW + 60_000, updated_at: NOW },
    ]).execute();
    const pool = createPool({ db: k, outbox: testOutbox(k).link, secret: 'test-secret', now: () => NOW });
    await pool.sweep();
    expect((await k.selectFrom('sign_in_flows').select('uid').execute()).map((r) => r.uid)).toEqual(['live']);
    expect((await k.selectFrom('webauthn_challenges').select('binding').execute()).map((r) => r.binding)).toEqual(['live']);
    expect((await k.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)).toEqual(['live']);
    expect((await k.selectFrom('lockouts').select('key').execute()).map((r) => r.key)).toEqual(['live']);
  });
});
