import type { PoolSettings } from '../../config/seed';
import type { PoolContext } from '../context';
import { fail, type PoolError } from '../errors';
import type { FlowOutcome, StepOf } from '../flow';
import { methodOf, type Method, type Methods } from './method';
import { isMethodKind } from './registry';

/** The sign-in steps that enrol a second factor (the forced-enrolment screens). */
export type EnrolmentStep = StepOf<'mfa-setup' | 'mfa-setup-sms' | 'passkey-setup'>;

/**
 * Whether the pool's policy allows a kind. Its list of factors can only name built-ins, so a kind
 * registered beside them (a deployment's or a test's) is allowed by being registered.
 */
export function policyAllows(mfa: PoolSettings['mfa'], kind: string): boolean {
  return isMethodKind(kind) ? (mfa.factors as readonly string[]).includes(kind) : true;
}

/** A second factor with an enrolment step that the policy allows. */
const enrolable = (mfa: PoolSettings['mfa'], kind: string, method: Method): boolean => method.use.second && !!method.enrolStep && policyAllows(mfa, kind);

/** The kinds a user made to enrol may pick from, in registry order. */
export function enrolableKinds(methods: Methods, mfa: PoolSettings['mfa']): string[] {
  return Object.keys(methods).filter((kind) => enrolable(mfa, kind, methods[kind]));
}

/** From one enrolment screen to another method's; `to` comes from a form, so anything else is `wrong_step`. */
export async function switchEnrolment(ctx: PoolContext, step: EnrolmentStep, to: string): Promise<FlowOutcome | PoolError> {
  const method = methodOf(ctx.methods, to);
  if (!method?.enrolStep || !enrolable((await ctx.settings()).mfa, to, method)) return fail('wrong_step');
  return { next: method.enrolStep(ctx, step.userId, step.amr) };
}
