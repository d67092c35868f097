import { NextResponse, type NextRequest } from 'next/server';
import { isLocale } from '@/i18n/locales';
import { authorizationRequest, packCookie } from '@/app/_lib/relying-party';
import { ourCookies } from '@/app/_lib/cookies';
import { demoConfig } from '../rp';

/** Starts the round trip: code flow with PKCE S256, state and nonce. */
export async function GET(request: NextRequest) {
  const rp = await demoConfig();
  const lang = request.nextUrl.searchParams.get('lang');
  const locale = isLocale(lang) ? lang : 'en';
  if (!rp) return NextResponse.redirect(new URL(`/${locale}/demo?error=not_configured`, request.url), 303);
  const signup = request.nextUrl.searchParams.get('screen') === 'signup';
  const { url, tx } = await authorizationRequest(rp, '/api/demo/callback', locale, signup ? { screen: 'signup' } : {});
  const res = NextResponse.redirect(url, 303);
  (await ourCookies(res)).set('demoTx', packCookie({ ...tx, locale }), 3600);
  return res;
}
