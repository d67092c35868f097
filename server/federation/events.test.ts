import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool } from '../pool';
import { createFederation } from './index';
import { anonymousEventLimits } from '../pool/events';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);

describeEachDb('federation events: anonymous writes are bounded', (open) => {
  async function setup() {
    const db = await open();
    let t = START;
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => t });
    const count = async (ip?: string) => {
      let q = db.kysely.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'));
      if (ip) q = q.where('ip', '=', ip);
      return Number((await q.executeTakeFirstOrThrow()).n);
    };
    const federation = createFederation(pool.ctx, pool.gate);
    return { db, pool, federation, count, advance: (ms: number) => (t += ms) };
  }

  it('refused federated sign-ins from one address are recorded up to the limit, others still are, and again after the window', async () => {
    const { federation, count, advance } = await setup();
    const { max, windowMs } = anonymousEventLimits.perIp;
    const fail = (ip: string) => federation.recordFailure('unknown_provider', { ip, detail: 'malformed start request' });
    for (let i = 0; i < max; i++) expect(await fail('203.0.113.7')).toBe(true);
    expect(await fail('203.0.113.7')).toBe(false);
    expect(await fail('203.0.113.7')).toBe(false);
    expect(await count('203.0.113.7')).toBe(max);
    expect(await fail('198.51.100.2')).toBe(true);
    advance(windowMs);
    expect(await fail('203.0.113.7')).toBe(true);
    expect(await count()).toBe(max + 2);
  });

});
