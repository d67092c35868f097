import { expect, expectTypeOf, it } from 'vitest';
import { sealerFor } from '../secrets';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool, type FlowStep, type StepOf } from './index';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
const confirm: FlowStep = { step: 'confirm-account', userId: 'u1', destination: null };
const next: FlowStep = { step: 'new-password', userId: 'u1' };

describeEachDb('pool.flow.run: the pool owns the flow', (open) => {
  async function setup() {
    const db = await open();
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => NOW });
    await pool.flow.save({ uid: 'uid-1', step: confirm });
    const events = async () => (await db.kysely.selectFrom('events').select('type').execute()).map((e) => e.type);
    return { db, pool, events };
  }
  /** A write of run's own, to see whether it committed. */
  const note = (pool: { ctx: ReturnType<typeof createPool>['ctx'] }, type: string) =>
    pool.ctx.db.insertInto('events').values({ type, user_id: null, ip: null, detail: '{}', created_at: NOW }).execute();

  it('refuses a step other than the expected one, without running anything', async () => {
    const { pool } = await setup();
    let ran = false;
    const r = await pool.flow.run({ uid: 'uid-1', clientId: 'demo', expect: ['mfa', 'sign-in'], run: async () => ((ran = true), { next }) });
    expect(r).toEqual({ error: 'wrong_step' });
    expect(ran).toBe(false);
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(confirm);
  });

  it('hands run the stored step narrowed to what it expects, and saves the next step it returns', async () => {
    const { pool } = await setup();
    const r = await pool.flow.run({
      uid: 'uid-1',
      clientId: 'demo',
      expect: ['confirm-account', 'reset-password'],
      run: async (step) => {
        expectTypeOf(step).toEqualTypeOf<StepOf<'confirm-account' | 'reset-password'>>();
        expect(step).toEqual(confirm);
        return { next };
      },
    });
    expect(r).toEqual({ next });
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(next);
  });

  it('saves the step in the same transaction as run: a throw undoes both, a refusal keeps run’s writes but moves nothing', async () => {
    const { pool, events } = await setup();
    const boom = pool.flow.run({
      uid: 'uid-1',
      clientId: 'demo',
      expect: 'confirm-account',
      run: async (_step, tx) => {
        await note(tx, 'written_then_thrown');
        throw new Error('boom');
      },
    });
    await expect(boom).rejects.toThrow('boom');
    expect(await events()).toEqual([]);
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(confirm);

    const refused = await pool.flow.run({
      uid: 'uid-1',
      clientId: 'demo',
      expect: 'confirm-account',
      run: async (_step, tx) => {
        await note(tx, 'attempt_counted');
        return { error: 'invalid_code' as const };
      },
    });
    expect(refused).toEqual({ error: 'invalid_code' });
    expect(await events()).toEqual(['attempt_counted']);
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(confirm);

    const done = await pool.flow.run({ uid: 'uid-1', clientId: 'demo', expect: 'confirm-account', run: async () => ({ done: { userId: 'u1', amr: ['pwd'] } }) });
    expect(done).toEqual({ done: { userId: 'u1', amr: ['pwd'] } });
    // Finishing is the caller's (pool.flow.finish ends the flow once the interaction is finished).
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(confirm);
  });

  it('two concurrent runs on one flow: exactly one acts on the step', async () => {
    const { pool, events } = await setup();
    // Connections open beforehand (PostgreSQL), so the runs really overlap; each acts in a few round trips.
    await Promise.all([1, 2, 3].map(() => events()));
    const act = () =>
      pool.flow.run({
        uid: 'uid-1',
        clientId: 'demo',
        expect: 'confirm-account',
        run: async (_step, tx) => {
          await note(tx, 'acted');
          for (let i = 0; i < 3; i++) await tx.ctx.db.selectFrom('sign_in_flows').select('uid').execute();
          return { next };
        },
      });
    const results = await Promise.all([act(), act(), act()]);
    expect(results.filter((r) => 'next' in r)).toHaveLength(1);
    expect(results.filter((r) => 'error' in r && r.error === 'wrong_step')).toHaveLength(2);
    expect(await events()).toEqual(['acted']);
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual(next);
  });

  it('a stored row that does not parse as a step (old shape, unknown step, extra field) restarts the sign-in', async () => {
    const { db, pool } = await setup();
    const unparsable = {
      'old shape': { step: 'mfa', userId: 'u1', method: 'totp' },
      'unknown step': { step: 'admin', userId: 'u1' },
      'extra field': { ...next, amr: ['pwd', 'mfa'] },
      'not a step': ['new-password'],
    };
    for (const [what, state] of Object.entries(unparsable)) {
      const sealed = sealerFor('sign_in_flows:uid-1').seal(JSON.stringify(state));
      await db.kysely.updateTable('sign_in_flows').set({ state: sealed }).where('uid', '=', 'uid-1').execute();
      expect(await pool.flow.current({ uid: 'uid-1' }), what).toEqual({ step: 'sign-in' });
      expect(await pool.flow.run({ uid: 'uid-1', clientId: 'demo', expect: ['mfa', 'new-password'], run: async () => ({ next }) }), what).toEqual({ error: 'wrong_step' });
    }
    // Sealed whole but not JSON at all: the same.
    await db.kysely.updateTable('sign_in_flows').set({ state: sealerFor('sign_in_flows:uid-1').seal('{"step":') }).where('uid', '=', 'uid-1').execute();
    expect(await pool.flow.current({ uid: 'uid-1' })).toEqual({ step: 'sign-in' });
  });

  it('acknowledging recovery codes reads the stored step, never one handed in', async () => {
    const { pool } = await setup();
    expect(await pool.mfa.acknowledgeRecoveryCodes({ uid: 'uid-1' })).toEqual({ error: 'wrong_step' });
    await pool.flow.save({ uid: 'uid-1', step: { step: 'recovery-codes', userId: 'u1', amr: ['pwd', 'otp', 'mfa'], codes: ['a'] } });
    expect(await pool.mfa.acknowledgeRecoveryCodes({ uid: 'uid-1' })).toEqual({ done: { userId: 'u1', amr: ['pwd', 'otp', 'mfa'] } });
  });
});
