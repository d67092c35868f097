import { cookies } from 'next/headers';
import type { NextResponse } from 'next/server';
import { cookieName, cookieOptions, isSecureIssuer, type CookieKind } from '@/server/http/cookies';
import { runtime } from '@/server/runtime-handle';

/**
 * Our cookies from pages, actions and route handlers, named and secured for the issuer (see
 * server/http/cookies.ts). Writes go to `res` when given (a route handler's own response),
 * otherwise to the action's response.
 */
export async function ourCookies(res?: NextResponse) {
  const secure = isSecureIssuer((await runtime()).env.publicUrl);
  const jar = await cookies();
  const target = res?.cookies ?? jar;
  return {
    get: (kind: CookieKind) => jar.get(cookieName(kind, secure))?.value,
    has: (kind: CookieKind) => jar.has(cookieName(kind, secure)),
    set: (kind: CookieKind, value: string, maxAgeSeconds: number) => {
      target.set(cookieName(kind, secure), value, { ...cookieOptions(kind, secure), maxAge: maxAgeSeconds });
    },
    /** With the cookie's own attributes: browsers ignore a prefixed cookie's deletion without `Secure`. */
    delete: (kind: CookieKind) => {
      target.set(cookieName(kind, secure), '', { ...cookieOptions(kind, secure), maxAge: 0 });
    },
  };
}
