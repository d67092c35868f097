'use server';

import { z } from 'zod';
import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { readDeviceToken } from '@/app/_lib/device-cookie';
import { actionContext, advance, errorState, field, isCtx } from '@/app/_lib/flow';

const schema = z.object({ identifier: input.safeText(254).refine((s) => s.length > 0, 'required'), password: input.password });

export async function signInAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data, 'first');
  if (!isCtx(ctx)) return ctx;
  const values = { identifier: field(data, 'identifier').slice(0, 254) };
  const parsed = schema.safeParse({ identifier: field(data, 'identifier'), password: field(data, 'password') });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return errorState(ctx.t, { error: issue.message as never, field: String(issue.path[0]) }, values);
  }
  const device = await readDeviceToken(ctx.rt.env.publicUrl);
  const outcome = await ctx.rt.pool.signIn({ ...parsed.data, ip: ctx.ip, locale: ctx.locale, device });
  if ('error' in outcome) return errorState(ctx.t, outcome, values);
  return advance(ctx, outcome);
}
