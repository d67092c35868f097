import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool } from './index';

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
