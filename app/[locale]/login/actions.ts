'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { FormState } from '@/components/FlowForm';
import { anyStep, input } from '@/server/pool';
import { providerForEmail } from '@/server/federation';
import { readDeviceToken } from '@/app/_lib/device-cookie';
import { idpStartHref } from '@/app/_lib/federation';
import { actionContext, actOn, errorState, field, isCtx, refusal } from '@/app/_lib/flow';

const schema = z.object({ identifier: input.safeText(254).refine((s) => s.length > 0, 'required'), password: input.password });

/**
 * The sign-in form. Its first submit routes by e-mail domain: an address whose domain an
 * allowed provider claims goes to that provider (whatever the password field holds); any other
 * goes on to the password check, so nothing tells whether an account exists.
 */
export async function signInAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const values = { identifier: field(data, 'identifier').slice(0, 254) };
  const client = await ctx.rt.pool.clients.find({ clientId: ctx.view.clientId });
  const options = client ? await ctx.rt.federation.optionsFor(client) : { cognito: true, providers: [] };
  const typed = values.identifier.trim();
  const idp = typed.includes('@') ? providerForEmail(options.providers, typed) : undefined;
  if (idp) redirect(idpStartHref(ctx.uid, ctx.locale, { provider: idp.name }, typed));
  if (!options.cognito) {
    // This app signs in only through providers: an address no provider claims has nowhere to go.
    return refusal(ctx.t('federation.login.noProviderForEmail'), 400, { field: 'identifier', values });
  }
  const parsed = schema.safeParse({ identifier: field(data, 'identifier'), password: field(data, 'password') });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return errorState(ctx.t, { error: issue.message as never, field: String(issue.path[0]) }, values);
  }
  const device = await readDeviceToken();
  // From any step: signing in again starts the flow over.
  return actOn(ctx, anyStep, (_step, pool) => pool.signIn({ ...parsed.data, ip: ctx.ip, locale: ctx.locale, device }), { values });
}
