import type { PoolContext } from './context';
import { fail, type PoolError } from './errors';
import { currentStep, saveStep, type FlowStep, type StepName, type StepOf } from './flow';
import { inTransaction } from './transaction';

/**
 * One action on a sign-in flow. `expect`: the step (or steps) it may act on; `run` gets the stored
 * step narrowed to those, and `pool`, the pool's operations bound to the same transaction.
 */
export type FlowRun<K extends StepName, R extends object, P> = {
  uid: string;
  expect: K | readonly K[];
  run: (step: StepOf<K>, pool: P) => Promise<R | PoolError>;
};

const movesOn = (r: object): r is { next: FlowStep } => 'next' in r;

/**
 * The flow's one entry point: in one transaction the stored step is read (locked, validated),
 * checked against `expect`, handed to `run`, and a `{ next }` it returns is saved. A refusal saves
 * no step, but what `run` wrote still commits (a wrong code counts against its limits); `{ done }`
 * goes back to the caller, whose finish ends the flow.
 */
export function runFlow<K extends StepName, R extends object, P>(ctx: PoolContext, o: FlowRun<K, R, P>, bind: (tx: PoolContext) => P): Promise<R | PoolError> {
  const wanted: readonly StepName[] = typeof o.expect === 'string' ? [o.expect] : o.expect;
  return inTransaction(ctx, async (tx) => {
    const step = await currentStep(tx, o.uid, { lock: true });
    if (!wanted.includes(step.step)) return fail('wrong_step');
    const result = await o.run(step as StepOf<K>, bind(tx));
    if (!('error' in result) && movesOn(result)) await saveStep(tx, o.uid, result.next);
    return result;
  });
}
