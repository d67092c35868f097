import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { NextResponse, type NextRequest } from 'next/server';
import { isAccountPath } from '@/app/_lib/account';
import { ourCookies } from '@/app/_lib/cookies';
import { relyingParty, unpackCookie } from '@/app/_lib/relying-party';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';
import { ACCOUNT_SESSION_TTL_MS } from '@/server/pool/account/sessions';
import { runtime } from '@/server/runtime-handle';

type Tx = { verifier: string; state: string; nonce: string; returnTo: string };

/** Checks state, PKCE and nonce, exchanges the code, and starts the account session. */
export async function GET(request: NextRequest) {
  const rt = await runtime();
  const base = rt.env.publicUrl;
  const tx = unpackCookie<Tx>((await ourCookies()).get('accountTx'), (v) => typeof v.verifier === 'string' && isAccountPath(v.returnTo as string));
  const locale = tx?.returnTo.split('/')[1] ?? 'en';
  const fail = (code: string) => NextResponse.redirect(new URL(`/${locale}/error?code=${code}`, base), 303);
  const rp = await relyingParty(ACCOUNT_CLIENT_ID);
  if (!rp || !tx) return fail('session_expired');
  let res: NextResponse;
  try {
    const tokens = await oidc.authorizationCodeGrant(rp.config, new URL(`${base}/api/account/callback${request.nextUrl.search}`), {
      pkceCodeVerifier: tx.verifier,
      expectedState: tx.state,
      expectedNonce: tx.nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    // Our access tokens name the grant they belong to; the session dies with it.
    const grantId = decodeJwt(tokens.access_token).origin_jti;
    if (typeof grantId !== 'string' || typeof claims.auth_time !== 'number') return fail('server_error');
    const token = await rt.pool.account.sessions.create({
      userId: claims.sub,
      grantId,
      idToken: tokens.id_token!,
      authTime: claims.auth_time * 1000,
      amr: Array.isArray(claims.amr) ? claims.amr.map(String) : [],
    });
    res = NextResponse.redirect(new URL(tx.returnTo, base), 303);
    (await ourCookies(res)).set('account', token, ACCOUNT_SESSION_TTL_MS / 1000);
  } catch (e) {
    const reason = e instanceof oidc.AuthorizationResponseError ? e.error : 'session_expired';
    res = fail(reason === 'access_denied' || reason === 'login_required' ? reason : 'session_expired');
  }
  (await ourCookies(res)).delete('accountTx');
  return res;
}
