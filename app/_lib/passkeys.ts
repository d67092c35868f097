import { getTranslations } from 'next-intl/server';
import type { FormState } from '@/components/FlowForm';
import type { PasskeyOptionsState, PasskeyProblems } from '@/components/passkeys/PasskeyCeremony';
import type { Locale } from '@/i18n/locales';
import type { FlowOutcome, PasskeyOptions, PoolError } from '@/server/pool';
import { actionContext, advance, errorState, isCtx, type StepName } from './flow';

type Ctx = Extract<Awaited<ReturnType<typeof actionContext>>, { rt: unknown }>;

/**
 * The two halves of every passkey ceremony in the sign-in flow, as server actions do them: the
 * options for the step the server says is current, then the browser's answer (form field
 * `response`), which moves the flow on or comes back as a translated error.
 */
export async function passkeyOptions<O extends PasskeyOptions>(
  data: FormData,
  wants: StepName | 'first',
  get: (ctx: Ctx) => Promise<O | PoolError>,
): Promise<PasskeyOptionsState<O>> {
  const ctx = await actionContext(data, wants);
  if (!isCtx(ctx)) return ctx;
  const options = await get(ctx);
  return 'error' in options ? errorState(ctx.t, options) : { options };
}

export async function passkeyAnswer(data: FormData, wants: StepName | 'first', answer: (ctx: Ctx, response: string) => Promise<FlowOutcome | PoolError>): Promise<FormState> {
  const ctx = await actionContext(data, wants);
  if (!isCtx(ctx)) return ctx;
  const response = data.get('response');
  const outcome = await answer(ctx, typeof response === 'string' ? response : '');
  if ('error' in outcome) return errorState(ctx.t, outcome, { name: String(data.get('name') ?? '').slice(0, 64) });
  return advance(ctx, outcome);
}

/** The translated props every passkey button needs. */
export async function passkeyTexts(locale: Locale): Promise<{ problems: PasskeyProblems; waiting: string; needsJavaScript: string }> {
  const t = await getTranslations({ locale, namespace: 'passkeys' });
  const problems = Object.fromEntries((['cancelled', 'timeout', 'unsupported', 'exists', 'security', 'failed'] as const).map((k) => [k, t(`problems.${k}`)]));
  return { problems: problems as unknown as PasskeyProblems, waiting: t('waiting'), needsJavaScript: t('needsJavaScript') };
}
