import { NextResponse, type NextRequest } from 'next/server';
import { isLocale } from '@/i18n/locales';
import { isAccountPath } from '@/app/_lib/account';
import { ourCookies } from '@/app/_lib/cookies';
import { authorizationRequest, packCookie, relyingParty } from '@/app/_lib/relying-party';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';
import { runtime } from '@/server/runtime-handle';

/**
 * Sends the browser to the pool's own sign-in for the account pages. `reauth=1` asks for a fresh
 * sign-in (prompt=login, max_age=0) before a sensitive change.
 */
export async function GET(request: NextRequest) {
  const q = request.nextUrl.searchParams;
  const lang = q.get('lang');
  const locale = isLocale(lang) ? lang : 'en';
  const back = q.get('return');
  const returnTo = isAccountPath(back) ? back : `/${locale}/account`;
  const rp = await relyingParty(ACCOUNT_CLIENT_ID);
  if (!rp) return NextResponse.redirect(new URL(`/${locale}/error?code=server_error`, request.url), 303);
  const reauth: Record<string, string> = q.get('reauth') === '1' ? { prompt: 'login', max_age: '0' } : {};
  const { url, tx } = await authorizationRequest(rp, '/api/account/callback', locale, reauth);
  const res = NextResponse.redirect(url, 303);
  (await ourCookies(res)).set('accountTx', packCookie({ ...tx, returnTo }), 1800);
  return res;
}

/**
 * A form post that ended up here: a page whose account session had ended redirected (307) a form's
 * post to this sign-in, and the browser posted it again. The same sign-in by GET (303); what the
 * form held was not saved, and the page comes back after the sign-in.
 */
export async function POST(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  return NextResponse.redirect(new URL(`${pathname}${search}`, (await runtime()).env.publicUrl), 303);
}
