'use server';

import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FormState } from '@/components/FlowForm';
import { anyStep, input } from '@/server/pool';
import { cognitoAllowed } from '@/app/_lib/federation';
import { actionContext, actOn, errorState, field, isCtx } from '@/app/_lib/flow';

const profileFields = ['name', 'given_name', 'family_name'] as const;

export async function signUpAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  if (!(await cognitoAllowed(ctx.rt, ctx.view.clientId))) return errorState(ctx.t, { error: 'wrong_step' });
  const settings = await ctx.rt.pool.settings();
  // Invitation-only: refused (403) before anything posted is looked at.
  if (settings.sign_up.mode !== 'open') return errorState(ctx.t, { error: 'sign_up_disabled' });
  const required = new Set(settings.required_attributes);
  const usesUsername = settings.sign_in_aliases.includes('username');
  const optional = <T extends z.ZodType>(s: T, needed: boolean) =>
    needed ? s : z.union([z.literal('').transform(() => undefined), s]);
  const schema = z.object({
    username: usesUsername ? input.username : z.any().transform(() => undefined),
    email: optional(input.email, required.has('email') || settings.sign_in_aliases.includes('email')),
    phone_number: optional(input.phoneNumber, required.has('phone_number')),
    ...Object.fromEntries(profileFields.map((f) => [f, optional(input.safeText(256).refine((s) => s.length > 0, 'required'), required.has(f))])),
    password: input.password,
  });
  const raw = Object.fromEntries(['username', 'email', 'phone_number', ...profileFields, 'password'].map((k) => [k, field(data, k)]));
  const customNames = settings.custom_attributes.filter((a) => a.required).map((a) => a.name);
  const custom = Object.fromEntries(customNames.map((k) => [k, field(data, k).slice(0, 2048 * 4)]));
  const acceptedTerms = field(data, 'terms') === 'on';
  const values = {
    ...Object.fromEntries(Object.entries({ ...raw, ...custom }).filter(([k]) => k !== 'password').map(([k, v]) => [k, v.slice(0, 256)])),
    ...(acceptedTerms ? { terms: 'on' } : {}),
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // errorState turns a message that is not one of ours (zod's own) into invalid_input.
    return errorState(ctx.t, { error: issue.message as never, field: String(issue.path[0]) }, values);
  }
  const d = parsed.data as Record<string, string | undefined>;
  const attributes = Object.fromEntries(profileFields.flatMap((f) => (d[f] ? [[f, d[f]!]] : [])));
  const outcome = await ctx.rt.pool.signUp({
    // Pools that sign in by e-mail only get an opaque username, as Cognito does.
    username: d.username ?? randomUUID(),
    email: d.email ?? null,
    phoneNumber: d.phone_number ?? null,
    password: d.password!,
    attributes,
    custom,
    acceptedTerms,
    ip: ctx.ip,
    locale: ctx.locale,
  });
  if ('error' in outcome) return errorState(ctx.t, outcome, values);
  // Signed up outside the flow's transaction: on PostgreSQL a lost race for the username (which
  // signUp answers as user_exists) would abort it. From any step, the flow starts over here.
  return actOn(ctx, anyStep, async () => outcome);
}
