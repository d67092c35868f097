import { expect, it } from 'vitest';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool, type FinishHook } from './index';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

describeEachDb('every sign-in finishes through the pool', (open) => {
  async function setup() {
    const db = await open();
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => NOW });
    await pool.flow.save({ uid: 'uid-1', step: { step: 'sign-in' } });
    return pool;
  }

  it('runs the hooks, finishes the interaction with their amr and the login time, ends the flow, then runs what follows', async () => {
    const pool = await setup();
    const seen: unknown[] = [];
    const hook: FinishHook = async (uid, done) => {
      seen.push(['hook', uid, done]);
      return { amr: [...done.amr, 'fed'], after: async (ts) => void seen.push(['after', ts]) };
    };
    const to = await pool.flow.finish({ uid: 'uid-1', done: { userId: 'u1', amr: ['pwd'] }, hooks: [hook], complete: async (login) => {
        seen.push(['complete', login]);
        return 'https://app.example/cb';
      } });
    expect(to).toBe('https://app.example/cb');
    expect(seen).toEqual([
      ['hook', 'uid-1', { userId: 'u1', amr: ['pwd'] }],
      ['complete', { accountId: 'u1', amr: ['pwd', 'fed'], ts: NOW / 1000 }],
      ['after', NOW / 1000],
    ]);
    expect(await pool.ctx.db.selectFrom('sign_in_flows').select('uid').execute()).toEqual([]);
  });

  it('an expired interaction: the flow still ends, nothing follows', async () => {
    const pool = await setup();
    let followed = false;
    const to = await pool.flow.finish({ uid: 'uid-1', done: { userId: 'u1', amr: ['pwd'] }, hooks: [async (_uid, done) => ({ amr: done.amr, after: async () => void (followed = true) })], complete: async () => undefined });
    expect(to).toBeUndefined();
    expect(followed).toBe(false);
    expect(await pool.ctx.db.selectFrom('sign_in_flows').select('uid').execute()).toEqual([]);
  });
});
