import { defineRouting } from 'next-intl/routing';
import { cookieName, cookieOptions } from '../server/http/cookies';
import { defaultLocale, locales } from './locales';

export const LOCALE_COOKIE_MAX_AGE = 365 * 24 * 3600;

export const routing = defineRouting({ locales, defaultLocale, localePrefix: 'always' });

/** The proxy's routing: the locale cookie named and secured for the issuer (server/http/cookies.ts). */
export function routingFor(secure: boolean) {
  const { path, sameSite } = cookieOptions('locale', secure);
  return defineRouting({ ...routing, localeCookie: { name: cookieName('locale', secure), path, sameSite, secure, maxAge: LOCALE_COOKIE_MAX_AGE } });
}
