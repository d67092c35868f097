'use server';

import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { input } from '@/server/pool';
import { runtime } from '@/server/runtime-handle';
import { errorState, field, formContext, isFormCtx } from '@/app/_lib/flow';

/** Sets the invited user's password with the mailed link (`link`, `token`); then the page says they may sign in. */
export async function invitationAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await formContext(data);
  if (!isFormCtx(ctx)) return ctx;
  const password = input.password.safeParse(field(data, 'password'));
  if (!password.success) return errorState(ctx.t, { error: password.error.issues[0].message as never, field: 'password' });
  const rt = await runtime();
  const done = await rt.pool.invitations.accept({ id: field(data, 'link'), token: field(data, 'token'), password: password.data, ip: ctx.req.ip });
  if ('error' in done) return errorState(ctx.t, done);
  redirect(`/${ctx.locale}/invitation?notice=accepted`);
}
