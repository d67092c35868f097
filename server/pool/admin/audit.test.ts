import { expect, it } from 'vitest';
import { describeEachDb } from '../../testing/databases';
import { EVENTS_START as START, eventsTestbed } from '../../testing/events';

const DAY = 86_400_000;

describeEachDb('the admin audit log: old rows are swept', (open) => {
  it('the sweep removes audit rows older than the retention, and keeps the rest', async () => {
    const { db, pool } = eventsTestbed(await open());
    const at = (daysAgo: number) => ({ actor_type: 'client' as const, actor: 'robot', action: 'user.update', resource_type: 'user', resource_id: `u${daysAgo}`, before: null, after: null, request_id: null, created_at: START - daysAgo * DAY });
    await db.kysely.insertInto('audit').values([at(400), at(366), at(364), at(0)]).execute();
    const left = async () => (await db.kysely.selectFrom('audit').select('resource_id').orderBy('created_at').execute()).map((r) => r.resource_id);
    expect(await pool.sweepAudit({ days: 365 })).toBe(2);
    expect(await left()).toEqual(['u364', 'u0']);
    expect(await pool.sweepAudit({ days: 30 })).toBe(1);
    expect(await left()).toEqual(['u0']);
  });
});
