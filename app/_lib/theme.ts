import { headers } from 'next/headers';
import { cache } from 'react';
import { readInteraction } from '@/server/oidc';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';
import type { AppliedTheme } from '@/server/pool/themes';
import type { ResolvedTheme } from '@/themes/schema';
import { runtime } from '@/server/runtime-handle';

const UID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The client whose screen this is: the sign-in flow's (the interaction named by `?uid=`, which
 * the proxy passes on as `x-foyer-uid`), the account client on account pages, else none (error
 * pages and the like take the pool's theme).
 */
async function screenClient(): Promise<string | null> {
  const h = await headers();
  const rt = await runtime();
  const uid = h.get('x-foyer-uid');
  if (uid && UID.test(uid)) {
    const bag: Record<string, string> = {};
    h.forEach((v, k) => (bag[k] = v));
    const view = await readInteraction(rt.provider, bag, uid);
    if (view) return view.clientId;
  }
  const [, , section] = (h.get('x-foyer-path') ?? '').split('/');
  return section === 'account' ? ACCOUNT_CLIENT_ID : null;
}

/**
 * The theme of the current screen (its stylesheet and asset URLs too); once per request however
 * many components ask, so the layout's stylesheet and the page's frame always agree.
 */
export const currentAppliedTheme = cache(async (): Promise<AppliedTheme> => (await runtime()).themes.forClient(await screenClient()));

/** The resolved theme a screen renders with. */
export const currentTheme = async (): Promise<ResolvedTheme> => (await currentAppliedTheme()).theme;
