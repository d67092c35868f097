import { createPool } from '../pool';
import type { Db } from '../db/connect';
import { testOutbox } from './outbox';

export const EVENTS_START = Date.UTC(2030, 0, 1, 12, 0, 0);

/** A pool on a clock the test moves, and a count of `events` rows (from one address, or all). */
export function eventsTestbed(db: Db) {
  let t = EVENTS_START;
  const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => t });
  const count = async (ip?: string) => {
    let q = db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
    if (ip) q = q.where('ip', '=', ip);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  return { db, pool, count, advance: (ms: number) => (t += ms) };
}
