import * as oidc from 'openid-client';
import { NextResponse, type NextRequest } from 'next/server';
import { ourCookies } from '@/app/_lib/cookies';
import { demoConfig, readDemoSession } from '../rp';

/**
 * Signs out of the demo app and, with an id_token_hint, of Foyer (no confirmation needed).
 * A POST, so another site cannot sign a user out with a link or an image.
 */
export async function POST(request: NextRequest) {
  const rp = await demoConfig();
  const session = await readDemoSession();
  const lang = String((await request.formData().catch(() => undefined))?.get('lang') ?? 'en');
  const target =
    rp && session
      ? oidc.buildEndSessionUrl(rp.config, {
          id_token_hint: session.id_token,
          post_logout_redirect_uri: `${rp.base}/api/demo/signed-out`,
          state: lang === 'ar' ? 'ar' : 'en',
        })
      : new URL(`/${lang === 'ar' ? 'ar' : 'en'}/demo`, rp?.base ?? request.url);
  const res = NextResponse.redirect(target, 303);
  (await ourCookies(res)).delete('demoSession');
  return res;
}
