'use server';

import * as oidc from 'openid-client';
import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { consoleAction, isConsoleCtx } from '@/app/_lib/console';
import { ourCookies } from '@/app/_lib/cookies';
import { relyingParty } from '@/app/_lib/relying-party';
import { CONSOLE_CLIENT_ID } from '@/server/pool/account/client';

/**
 * Ends the console session, then the pool's (RP-initiated logout with the ID token as hint). With
 * the console's session already gone (ended in another tab, expired), the pool's still ends: without
 * a hint the pool asks first, as it does for any app that cannot name its user.
 */
export async function signOutAction(_prev: FormState, data: FormData): Promise<FormState> {
  const ctx = await consoleAction(data, { onEnded: (locale) => endPoolSession(locale) });
  if (!isConsoleCtx(ctx)) return ctx;
  await ctx.rt.pool.console.sessions.end({ id: ctx.session.id });
  return endPoolSession(ctx.locale, ctx.session.idToken);
}

async function endPoolSession(locale: string, idToken?: string): Promise<never> {
  (await ourCookies()).delete('console');
  const rp = await relyingParty(CONSOLE_CLIENT_ID);
  if (!rp) redirect(`/${locale}/logout/done`);
  const url = oidc.buildEndSessionUrl(rp.config, { ...(idToken ? { id_token_hint: idToken } : {}), post_logout_redirect_uri: `${rp.base}/api/console/signed-out`, state: locale });
  redirect(`${url.pathname}${url.search}`);
}
