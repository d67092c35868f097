'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { abortInteraction, finishConsent } from '@/server/oidc';
import { actionContext, errorState, field, isCtx } from '@/app/_lib/flow';

export async function consentAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  if (ctx.view.prompt !== 'consent') return errorState(ctx.t, { error: 'wrong_step' });
  const to =
    field(data, 'intent') === 'allow'
      ? await finishConsent(ctx.rt.provider, ctx.headers, ctx.view, ctx.rt.env.publicUrl)
      : await abortInteraction(ctx.rt.provider, ctx.headers, ctx.uid);
  if (!to) return errorState(ctx.t, { error: 'session_expired' });
  redirect(to);
}
