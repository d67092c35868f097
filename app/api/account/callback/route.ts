import { NextResponse, type NextRequest } from 'next/server';
import { isAccountPath } from '@/app/_lib/account';
import { ourCookies } from '@/app/_lib/cookies';
import { finishAuthorization, relyingParty, unpackCookie } from '@/app/_lib/relying-party';
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
  const done = await finishAuthorization(rp, '/api/account/callback', request.nextUrl.search, tx);
  let res: NextResponse;
  if ('error' in done) res = fail(done.error);
  else {
    const token = await rt.pool.account.sessions.create(done);
    res = NextResponse.redirect(new URL(tx.returnTo, base), 303);
    (await ourCookies(res)).set('account', token, ACCOUNT_SESSION_TTL_MS / 1000);
  }
  (await ourCookies(res)).delete('accountTx');
  return res;
}
