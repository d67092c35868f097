'use server';

import type { FormState } from '@/components/FlowForm';
import { input, type FlowOutcome, type FlowPool, type PoolError, type StepOf } from '@/server/pool';
import { actionContext, actOn, advance, errorState, field, isCtx } from '@/app/_lib/flow';
import { mfaScreen } from './method-screens';

/** Both MFA screens take one code for the step the server says is current. */
async function answerWithCode<K extends 'mfa' | 'mfa-setup'>(
  data: FormData,
  wants: K,
  answer: (pool: FlowPool, step: StepOf<K>, code: string) => Promise<FlowOutcome | PoolError>,
): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  return actOn(ctx, wants, (step, pool) => answer(pool, step, code.data));
}

/** The second-factor step: a code from the authenticator app, the e-mail or the text, or a new e-mail or text. */
export async function mfaAction(_prev: FormState, data: FormData): Promise<FormState> {
  if (field(data, 'intent') === 'resend') {
    const ctx = await actionContext(data);
    if (!isCtx(ctx)) return ctx;
    const sent = await ctx.rt.pool.flow.run({
      uid: ctx.uid,
      clientId: ctx.view.clientId,
      expect: 'mfa',
      run: async (step, pool) => {
        const r = await pool.mfa.resend({ uid: ctx.uid, step, locale: ctx.locale, ip: ctx.ip });
        return 'error' in r ? r : { method: step.method };
      },
    });
    if ('error' in sent) return errorState(ctx.t, sent);
    return { notice: mfaScreen(sent.method).sends?.resent(ctx.t) };
  }
  const remember = field(data, 'remember') === 'on';
  return answerWithCode(data, 'mfa', (pool, step, code) => pool.mfa.answerCode({ step, code, remember }));
}

/** Enrolment forced by the pool's policy: the first code proves the app holds the secret. */
export async function mfaSetupAction(_prev: FormState, data: FormData): Promise<FormState> {
  return answerWithCode(data, 'mfa-setup', (pool, step, code) => pool.mfa.enrolTotp({ step, code }));
}

/** Another of the user's factors for this sign-in. */
export async function chooseMethodAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  return actOn(ctx, 'mfa', async (step, pool) => {
    const method = step.methods.find((m) => m === field(data, 'method'));
    if (!method) return { error: 'invalid_input' };
    return pool.mfa.choose({ step, method, locale: ctx.locale, ip: ctx.ip });
  });
}

/** A recovery code instead of the app's code, at the same step. */
export async function recoveryCodeAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const code = input.safeText(32).safeParse(field(data, 'recovery_code'));
  if (!code.success || !code.data) return errorState(ctx.t, { error: 'invalid_code', field: 'recovery_code' });
  return actOn(ctx, 'mfa', (step, pool) => pool.mfa.answerRecoveryCode({ step, code: code.data, locale: ctx.locale }));
}

/** The user has seen (and saved) the recovery codes: the sign-in finishes. */
export async function recoveryCodesSavedAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const outcome = await ctx.rt.pool.mfa.acknowledgeRecoveryCodes({ uid: ctx.uid });
  return 'error' in outcome ? errorState(ctx.t, outcome) : advance(ctx, outcome);
}
