import * as oidc from 'openid-client';
import { NextResponse, type NextRequest } from 'next/server';
import { isLocale } from '@/i18n/locales';
import { packCookie, unpackCookie } from '@/app/_lib/relying-party';
import { ourCookies } from '@/app/_lib/cookies';
import { demoConfig } from '../rp';

/** Finishes the round trip: checks state, PKCE and nonce, exchanges the code, keeps the tokens. */
export async function GET(request: NextRequest) {
  const rp = await demoConfig();
  const tx = unpackCookie<{ verifier: string; state: string; nonce: string; locale: string }>((await ourCookies()).get('demoTx'), (v) => typeof v.verifier === 'string');
  const locale = tx && isLocale(tx.locale) ? tx.locale : 'en';
  const back = (q: string) => NextResponse.redirect(new URL(`/${locale}/demo${q}`, rp?.base ?? request.url), 303);
  if (!rp || !tx) return back('?error=no_transaction');
  let res: NextResponse;
  try {
    const current = new URL(`${rp.base}/api/demo/callback${request.nextUrl.search}`);
    const tokens = await oidc.authorizationCodeGrant(rp.config, current, {
      pkceCodeVerifier: tx.verifier,
      expectedState: tx.state,
      expectedNonce: tx.nonce,
      idTokenExpected: true,
    });
    res = back('');
    (await ourCookies(res)).set('demoSession', packCookie({ id_token: tokens.id_token, access_token: tokens.access_token }), 3600);
  } catch (e) {
    const reason = e instanceof oidc.AuthorizationResponseError ? e.error : 'token_exchange_failed';
    res = back(`?error=${encodeURIComponent(reason.replace(/[^a-z_]/g, '').slice(0, 64) || 'unknown')}`);
  }
  (await ourCookies(res)).delete('demoTx');
  return res;
}
