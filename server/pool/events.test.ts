import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool } from './index';
import { anonymousEventLimits } from './events';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const DAY = 86_400_000;

describeEachDb('the events table: anonymous writes are bounded, old events are swept', (open) => {
  async function setup() {
    const db = await open();
    let t = START;
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => t });
    const count = async (ip?: string) => {
      let q = db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
      if (ip) q = q.where('ip', '=', ip);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    return { db, pool, count, advance: (ms: number) => (t += ms) };
  }

  it('refused federated sign-ins from one address are recorded up to the limit, others still are, and again after the window', async () => {
    const { pool, count, advance } = await setup();
    const { max, windowMs } = anonymousEventLimits.perIp;
    const fail = (ip: string) => pool.federation.recordFailure('unknown_provider', { ip, detail: 'malformed start request' });
    for (let i = 0; i < max; i++) expect(await fail('203.0.113.7')).toBe(true);
    expect(await fail('203.0.113.7')).toBe(false);
    expect(await fail('203.0.113.7')).toBe(false);
    expect(await count('203.0.113.7')).toBe(max);
    expect(await fail('198.51.100.2')).toBe(true);
    advance(windowMs);
    expect(await fail('203.0.113.7')).toBe(true);
    expect(await count()).toBe(max + 2);
  });

  it('the sweep removes events older than the retention, and keeps the rest', async () => {
    const { db, pool, count } = await setup();
    const at = (daysAgo: number) => ({ type: 'passkey_removed', user_id: null, ip: null, detail: `{"age":${daysAgo}}`, created_at: START - daysAgo * DAY });
    await db.kysely.insertInto('events').values([at(200), at(91), at(89), at(0)]).execute();
    expect(await pool.sweepEvents(90)).toBe(2);
    expect(await count()).toBe(2);
    const left = await db.kysely.selectFrom('events').select('detail').orderBy('created_at').execute();
    expect(left.map((r) => JSON.parse(r.detail!).age)).toEqual([89, 0]);
    expect(await pool.sweepEvents(30)).toBe(1);
  });
});
