import * as oidc from 'openid-client';
import { NextResponse, type NextRequest } from 'next/server';
import { isLocale } from '@/i18n/locales';
import { cookieOptions, demoConfig, txCookie } from '../rp';

/** Starts the round trip: code flow with PKCE S256, state and nonce. */
export async function GET(request: NextRequest) {
  const rp = await demoConfig();
  const lang = request.nextUrl.searchParams.get('lang');
  const locale = isLocale(lang) ? lang : 'en';
  if (!rp) return NextResponse.redirect(new URL(`/${locale}/demo?error=not_configured`, request.url), 303);
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: `${rp.base}/api/demo/callback`,
    scope: 'openid email phone profile',
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ui_locales: locale,
  };
  if (request.nextUrl.searchParams.get('screen') === 'signup') params.screen = 'signup';
  const res = NextResponse.redirect(oidc.buildAuthorizationUrl(rp.config, params), 303);
  res.cookies.set(txCookie, Buffer.from(JSON.stringify({ verifier, state, nonce, locale })).toString('base64url'), {
    ...(await cookieOptions('/api/demo')),
    maxAge: 3600,
  });
  return res;
}
