'use server';

import { redirect } from 'next/navigation';
import { z } from 'zod';
import type { FormState } from '@/components/FlowForm';
import { anyStep, input } from '@/server/pool';
import { providerForEmail } from '@/server/federation';
import { readDeviceToken } from '@/app/_lib/device-cookie';
import { idpStartHref } from '@/app/_lib/federation';
import { rememberMethod } from '@/app/_lib/sign-in-methods';
import { actionContext, actOn, errorState, field, isCtx, refusal } from '@/app/_lib/flow';

const schema = z.object({ identifier: input.safeText(254).refine((s) => s.length > 0, 'required'), password: input.password });

/**
 * An address whose domain an allowed provider claims goes to that provider; for an app that signs
 * in only through providers, anything else is refused. Otherwise null: the pool's own sign-in.
 */
async function routeByDomain(ctx: Exclude<Awaited<ReturnType<typeof actionContext>>, FormState>, values: { identifier: string }): Promise<FormState | null> {
  const client = await ctx.rt.pool.clients.find({ clientId: ctx.view.clientId });
  const options = client ? await ctx.rt.federation.optionsFor(client) : { cognito: true, providers: [] };
  const typed = values.identifier.trim();
  const idp = typed.includes('@') ? providerForEmail(options.providers, typed) : undefined;
  if (idp) redirect(idpStartHref(ctx.uid, ctx.locale, { provider: idp.name }, typed));
  // This app signs in only through providers: an address no provider claims has nowhere to go.
  return options.cognito ? null : refusal(ctx.t('federation.login.noProviderForEmail'), 400, { field: 'identifier', values });
}

/**
 * The sign-in form. Its first submit routes by e-mail domain: an address whose domain an
 * allowed provider claims goes to that provider (whatever the password field holds); any other
 * goes on to the password check, so nothing tells whether an account exists.
 */
export async function signInAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const values = { identifier: field(data, 'identifier').slice(0, 254) };
  const refused = await routeByDomain(ctx, values);
  if (refused) return refused;
  const parsed = schema.safeParse({ identifier: field(data, 'identifier'), password: field(data, 'password') });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return errorState(ctx.t, { error: issue.message as never, field: String(issue.path[0]) }, values);
  }
  const device = await readDeviceToken();
  // From any step: signing in again starts the flow over.
  return actOn(ctx, anyStep, (_step, pool) => pool.signIn({ ...parsed.data, ip: ctx.ip, locale: ctx.locale, device }), { values, passed: () => rememberMethod('password') });
}

/**
 * The sign-in form of a method without a password (e-mailed or texted code, mailed link): a code
 * or link is sent for a new attempt of this sign-in, whatever was typed, and its screen follows.
 */
export async function passwordlessStartAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const values = { identifier: field(data, 'identifier').slice(0, 254) };
  const refused = await routeByDomain(ctx, values);
  if (refused) return refused;
  const identifier = schema.shape.identifier.safeParse(field(data, 'identifier'));
  if (!identifier.success) return errorState(ctx.t, { error: identifier.error.issues[0].message as never, field: 'identifier' }, values);
  const method = field(data, 'method');
  return actOn(ctx, anyStep, (_step, pool) => pool.passwordless.start({ uid: ctx.uid, method, identifier: identifier.data, ip: ctx.ip, locale: ctx.locale }), { values });
}
