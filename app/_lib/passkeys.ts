import { getTranslations } from 'next-intl/server';
import type { FormState } from '@/components/FlowForm';
import type { PasskeyOptionsState, PasskeyProblems } from '@/components/passkeys/PasskeyCeremony';
import type { Locale } from '@/i18n/locales';
import type { FlowOutcome, FlowPool, PasskeyOptions, PoolError, StepOf } from '@/server/pool';
import { actionContext, actOn, errorState, isCtx, type StepName } from './flow';

type Ctx = Extract<Awaited<ReturnType<typeof actionContext>>, { rt: unknown }>;

/**
 * The two halves of every passkey ceremony in the sign-in flow, as server actions do them: the
 * options for the step the server says is current (one of `expect`), then the browser's answer
 * (form field `response`), which moves the flow on or comes back as a translated error. Both run
 * through `pool.flow.run`: `step` is the stored one, `pool` acts in its transaction.
 */
export async function passkeyOptions<K extends StepName, O extends PasskeyOptions>(
  data: FormData,
  expect: K | readonly K[],
  get: (step: StepOf<K>, pool: FlowPool, ctx: Ctx) => Promise<O | PoolError>,
): Promise<PasskeyOptionsState<O>> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const options = await ctx.rt.pool.flow.run({ uid: ctx.uid, clientId: ctx.view.clientId, expect, run: async (step, pool) => ({ options: await get(step, pool, ctx) }) });
  if ('error' in options) return errorState(ctx.t, options);
  return 'error' in options.options ? errorState(ctx.t, options.options) : { options: options.options };
}

export async function passkeyAnswer<K extends StepName>(
  data: FormData,
  expect: K | readonly K[],
  answer: (step: StepOf<K>, pool: FlowPool, ctx: Ctx, response: string) => Promise<FlowOutcome | PoolError>,
): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const response = data.get('response');
  return actOn(ctx, expect, (step, pool) => answer(step, pool, ctx, typeof response === 'string' ? response : ''), {
    values: { name: String(data.get('name') ?? '').slice(0, 64) },
  });
}

/** The translated props every passkey button needs. */
export async function passkeyTexts(locale: Locale): Promise<{ problems: PasskeyProblems; waiting: string; needsJavaScript: string }> {
  const t = await getTranslations({ locale, namespace: 'passkeys' });
  const problems = Object.fromEntries((['cancelled', 'timeout', 'unsupported', 'exists', 'security', 'failed'] as const).map((k) => [k, t(`problems.${k}`)]));
  return { problems: problems as unknown as PasskeyProblems, waiting: t('waiting'), needsJavaScript: t('needsJavaScript') };
}
