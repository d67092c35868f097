import { NextResponse, type NextRequest } from 'next/server';
import { isLocale } from '@/i18n/locales';
import { isConsolePath } from '@/app/_lib/console';
import { ourCookies } from '@/app/_lib/cookies';
import { authorizationRequest, packCookie, relyingParty } from '@/app/_lib/relying-party';
import { CONSOLE_CLIENT_ID } from '@/server/pool/account/client';

/** Sends the browser to the pool's own sign-in for the admin console, then back to `return`. */
export async function GET(request: NextRequest) {
  const q = request.nextUrl.searchParams;
  const lang = q.get('lang');
  const locale = isLocale(lang) ? lang : 'en';
  const back = q.get('return');
  const returnTo = isConsolePath(back) ? back : `/${locale}/admin`;
  const rp = await relyingParty(CONSOLE_CLIENT_ID);
  if (!rp) return NextResponse.redirect(new URL(`/${locale}/error?code=server_error`, request.url), 303);
  // `fresh=1` (after setting up a second factor): sign in again rather than reuse the browser's session.
  const { url, tx } = await authorizationRequest(rp, '/api/console/callback', locale, q.get('fresh') === '1' ? { prompt: 'login' } : {});
  const res = NextResponse.redirect(url, 303);
  (await ourCookies(res)).set('consoleTx', packCookie({ ...tx, returnTo }), 1800);
  return res;
}
