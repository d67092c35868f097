import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { EVENTS_START as START, eventsTestbed } from '../testing/events';

const DAY = 86_400_000;

describeEachDb('the events table: old events are swept', (open) => {
  const setup = async () => eventsTestbed(await open());

  it('the sweep removes events older than the retention, and keeps the rest', async () => {
    const { db, pool, count } = await setup();
    const at = (daysAgo: number) => ({ type: 'passkey_removed', user_id: null, ip: null, detail: `{"age":${daysAgo}}`, created_at: START - daysAgo * DAY });
    await db.kysely.insertInto('events').values([at(200), at(91), at(89), at(0)]).execute();
    expect(await pool.sweepEvents({ days: 90 })).toBe(2);
    expect(await count()).toBe(2);
    const left = await db.kysely.selectFrom('events').select('detail').orderBy('created_at').execute();
    expect(left.map((r) => JSON.parse(r.detail!).age)).toEqual([89, 0]);
    expect(await pool.sweepEvents({ days: 30 })).toBe(1);
  });
});
