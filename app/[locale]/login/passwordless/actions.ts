'use server';

import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { readDeviceToken } from '@/app/_lib/device-cookie';
import { actionContext, actOn, errorState, field, isCtx } from '@/app/_lib/flow';
import { rememberMethod } from '@/app/_lib/sign-in-methods';

/** The code sent for this attempt (or, with `intent=resend`, another code or link for it). */
export async function passwordlessAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  if (field(data, 'intent') === 'resend') {
    const sent = await ctx.rt.pool.flow.run({
      uid: ctx.uid,
      clientId: ctx.view.clientId,
      expect: 'passwordless',
      run: (step, pool) => pool.passwordless.resend({ uid: ctx.uid, step, locale: ctx.locale, ip: ctx.ip }),
    });
    return 'error' in sent ? errorState(ctx.t, sent) : { notice: ctx.t('passwordless.resent') };
  }
  const code = input.code.safeParse(field(data, 'code'));
  if (!code.success) return errorState(ctx.t, { error: 'invalid_code', field: 'code' });
  const device = await readDeviceToken();
  let method = '';
  return actOn(
    ctx,
    'passwordless',
    (step, pool) => {
      method = step.method;
      return pool.passwordless.answerCode({ step, code: code.data, ip: ctx.ip, locale: ctx.locale, device });
    },
    { passed: () => rememberMethod(method) },
  );
}

const LINK = /^[0-9a-f-]{36}$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The mailed link, opened in the browser that asked for it (the action's interaction is this
 * browser's) and confirmed there with a click: a link opened by a mail scanner, or in another
 * browser, signs nobody in.
 */
export async function magicLinkAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await actionContext(data);
  if (!isCtx(ctx)) return ctx;
  const id = field(data, 'link');
  const token = field(data, 'token');
  if (!LINK.test(id) || !TOKEN.test(token)) return errorState(ctx.t, { error: 'link_invalid' });
  const device = await readDeviceToken();
  return actOn(ctx, 'passwordless', (step, pool) => pool.passwordless.useLink({ uid: ctx.uid, step, id, token, ip: ctx.ip, locale: ctx.locale, device }), {
    passed: () => rememberMethod('magic_link'),
  });
}
