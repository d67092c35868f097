'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { actionContext, advance, errorState, field, isCtx } from '@/app/_lib/flow';

/** The second-factor step: a code from the user's authenticator app. */
export async function mfaAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'mfa');
  if (!isCtx(ctx) || ctx.step.step !== 'mfa') return isCtx(ctx) ? {} : ctx;
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const outcome = await ctx.rt.pool.mfa.answerTotp(ctx.step, code.data);
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}

/** Enrolment forced by the pool's policy: the first code proves the app holds the secret. */
export async function mfaSetupAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'mfa-setup');
  if (!isCtx(ctx) || ctx.step.step !== 'mfa-setup') return isCtx(ctx) ? {} : ctx;
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const outcome = await ctx.rt.pool.mfa.enrolTotp(ctx.step, code.data);
  if ('error' in outcome) return errorState(ctx.t, outcome);
  return advance(ctx, outcome);
}
