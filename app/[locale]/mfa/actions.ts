'use server';

import type { FormState } from '@/components/FlowForm';
import { input, type FlowOutcome, type FlowStep, type Pool, type PoolError } from '@/server/pool';
import { actionContext, advance, errorState, field, isCtx } from '@/app/_lib/flow';
import { mfaScreen } from './method-screens';

type MfaStep = Extract<FlowStep, { step: 'mfa' }>;
type SetupStep = Extract<FlowStep, { step: 'mfa-setup' }>;

/** Both MFA screens take one code for the step the server says is current. */
async function answerWithCode<S extends MfaStep | SetupStep>(
  data: FormData,
  wants: S['step'],
  answer: (pool: Pool, step: S, code: string) => Promise<FlowOutcome | PoolError>,
): Promise<FormState> {
  const ctx = await actionContext(data, wants);
  if (!isCtx(ctx) || ctx.step.step !== wants) return isCtx(ctx) ? {} : ctx;
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const outcome = await answer(ctx.rt.pool, ctx.step as S, code.data);
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}

/** The second-factor step: a code from the authenticator app, the e-mail or the text, or a new e-mail or text. */
export async function mfaAction(_prev: FormState, data: FormData): Promise<FormState> {
  if (field(data, 'intent') === 'resend') {
    const ctx = await actionContext(data, 'mfa');
    if (!isCtx(ctx) || ctx.step.step !== 'mfa') return isCtx(ctx) ? {} : ctx;
    const sent = await ctx.rt.pool.mfa.resend(ctx.uid, ctx.step, { locale: ctx.locale, ip: ctx.ip });
    if ('error' in sent) return errorState(ctx.t, sent);
    return { notice: mfaScreen(ctx.step.method).sends?.resent(ctx.t) };
  }
  const remember = field(data, 'remember') === 'on';
  return answerWithCode<MfaStep>(data, 'mfa', (pool, step, code) => pool.mfa.answerCode(step, code, remember));
}

/** Enrolment forced by the pool's policy: the first code proves the app holds the secret. */
export async function mfaSetupAction(_prev: FormState, data: FormData): Promise<FormState> {
  return answerWithCode<SetupStep>(data, 'mfa-setup', (pool, step, code) => pool.mfa.enrolTotp(step, code));
}

/** Another of the user's factors for this sign-in. */
export async function chooseMethodAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'mfa');
  if (!isCtx(ctx) || ctx.step.step !== 'mfa') return isCtx(ctx) ? {} : ctx;
  const method = ctx.step.methods.find((m) => m === field(data, 'method'));
  if (!method) return errorState(ctx.t, { error: 'invalid_input' });
  const outcome = await ctx.rt.pool.mfa.choose(ctx.step, method, { locale: ctx.locale, ip: ctx.ip });
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}

/** A recovery code instead of the app's code, at the same step. */
export async function recoveryCodeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'mfa');
  if (!isCtx(ctx) || ctx.step.step !== 'mfa') return isCtx(ctx) ? {} : ctx;
  const code = input.safeText(32).safeParse(field(data, 'recovery_code'));
  if (!code.success || !code.data) return errorState(ctx.t, { error: 'invalid_code', field: 'recovery_code' });
  const outcome = await ctx.rt.pool.mfa.answerRecoveryCode(ctx.step, code.data, ctx.locale);
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}

/** The user has seen (and saved) the recovery codes: the sign-in finishes. */
export async function recoveryCodesSavedAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'recovery-codes');
  if (!isCtx(ctx) || ctx.step.step !== 'recovery-codes') return isCtx(ctx) ? {} : ctx;
  return advance(ctx, ctx.rt.pool.mfa.acknowledgeRecoveryCodes(ctx.step));
}
