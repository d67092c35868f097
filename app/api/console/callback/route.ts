import { NextResponse, type NextRequest } from 'next/server';
import { isConsolePath } from '@/app/_lib/console';
import { ourCookies } from '@/app/_lib/cookies';
import { finishAuthorization, relyingParty, unpackCookie } from '@/app/_lib/relying-party';
import { CONSOLE_CLIENT_ID } from '@/server/pool/account/client';
import { ACCOUNT_SESSION_TTL_MS } from '@/server/pool/account/sessions';
import { runtime } from '@/server/runtime-handle';

type Tx = { verifier: string; state: string; nonce: string; returnTo: string };

/**
 * Finishes the console's sign-in and starts its session. Whether the user may use the console
 * (admin group, second factor) is decided on every page, not here: the pages explain a refusal.
 */
export async function GET(request: NextRequest) {
  const rt = await runtime();
  const base = rt.env.publicUrl;
  const tx = unpackCookie<Tx>((await ourCookies()).get('consoleTx'), (v) => typeof v.verifier === 'string' && isConsolePath(v.returnTo as string));
  const locale = tx?.returnTo.split('/')[1] ?? 'en';
  const fail = (code: string) => NextResponse.redirect(new URL(`/${locale}/error?code=${code}`, base), 303);
  const rp = await relyingParty(CONSOLE_CLIENT_ID);
  if (!rp || !tx) return fail('session_expired');
  const done = await finishAuthorization(rp, '/api/console/callback', request.nextUrl.search, tx);
  let res: NextResponse;
  if ('error' in done) res = fail(done.error);
  else {
    const token = await rt.pool.console.sessions.create(done);
    res = NextResponse.redirect(new URL(tx.returnTo, base), 303);
    (await ourCookies(res)).set('console', token, ACCOUNT_SESSION_TTL_MS / 1000);
  }
  (await ourCookies(res)).delete('consoleTx');
  return res;
}
