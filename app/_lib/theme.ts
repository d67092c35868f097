import { headers } from 'next/headers';
import { cache } from 'react';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';
import type { AppliedTheme } from '@/server/pool/themes';
import type { ResolvedTheme } from '@/themes/schema';
import { runtime } from '@/server/runtime-handle';
import { ourCookies } from './cookies';
import { interactionOf } from './interaction';
import { previewRequest } from './preview';

const UID = /^[A-Za-z0-9_-]{1,64}$/;
const CLIENT_ID = /^[A-Za-z0-9._~-]{1,128}$/;

/**
 * The client whose screen this is: the sign-in flow's (the interaction named by `?uid=`, which
 * the proxy passes on as `x-foyer-uid`); on other pages the app named by `?client_id=` (the
 * proxy's `x-foyer-client`: the error and sign-out pages); on the account pages and their own
 * sign-in, the app that sent the browser there (remembered in the `accountApp` cookie), else the
 * account client; else none (the pool's theme).
 */
async function screenClient(): Promise<string | null> {
  const h = await headers();
  const accountApp = async () => {
    const app = (await ourCookies()).get('accountApp');
    return app && CLIENT_ID.test(app) ? app : ACCOUNT_CLIENT_ID;
  };
  const uid = h.get('x-foyer-uid');
  if (uid && UID.test(uid)) {
    const view = await interactionOf(uid);
    if (view) return view.clientId === ACCOUNT_CLIENT_ID ? accountApp() : view.clientId;
  }
  const named = h.get('x-foyer-client');
  if (named && CLIENT_ID.test(named)) return named;
  const [, , section] = (h.get('x-foyer-path') ?? '').split('/');
  return section === 'account' ? accountApp() : null;
}

/**
 * The theme of the current screen (its stylesheet and asset URLs too); once per request however
 * many components ask, so the layout's stylesheet and the page's frame always agree.
 */
export const currentAppliedTheme = cache(async (): Promise<AppliedTheme> => (await previewRequest())?.applied ?? (await runtime()).themes.forClient(await screenClient()));

/** The resolved theme a screen renders with. */
export const currentTheme = async (): Promise<ResolvedTheme> => (await currentAppliedTheme()).theme;
