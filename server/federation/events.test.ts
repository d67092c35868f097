import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { eventsTestbed } from '../testing/events';
import { createFederation } from './index';
import { anonymousEventLimits } from '../pool/events';

describeEachDb('federation events: anonymous writes are bounded', (open) => {
  async function setup() {
    const bed = eventsTestbed(await open());
    return { ...bed, federation: createFederation(bed.pool.ctx) };
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
