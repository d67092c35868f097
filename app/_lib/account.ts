import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import type { FormState } from '@/components/FlowForm';
import { isLocale, locales, type Locale } from '@/i18n/locales';
import { runtime } from '@/server/runtime-handle';
import { ourCookies } from './cookies';
import { errorState } from './flow';
import { requestInfo } from './request';

/** Where a sign-in for the account pages may return to: one of our own account pages. */
const RETURN = new RegExp(`^/(${locales.join('|')})/account(/[a-z-]{1,32}){0,2}$`);
export const isAccountPath = (p: string | null | undefined): p is string => typeof p === 'string' && RETURN.test(p);

/** Sensitive changes need a sign-in this recent (a pool setting); older ones sign in again. */
async function isRecent(rt: Awaited<ReturnType<typeof runtime>>, authTime: number): Promise<boolean> {
  const { reauth_after_seconds: seconds } = (await rt.pool.settings()).account;
  return rt.pool.ctx.now() - authTime <= seconds * 1000;
}

export function signInHref(locale: string, returnTo: string, reauth = false): string {
  return `/api/account/login?lang=${locale}&return=${encodeURIComponent(returnTo)}${reauth ? '&reauth=1' : ''}`;
}

async function currentSession() {
  const rt = await runtime();
  // The account pages' session cookie: a random token, its HMAC stored.
  const token = (await ourCookies()).get('account');
  return { rt, session: await rt.pool.account.sessions.find({ token }) };
}

/**
 * Loads an account page for the signed-in user, or sends the browser to sign in (again, when the
 * page changes something sensitive and the last sign-in is not recent).
 */
export async function loadAccountPage(locale: Locale, path: string, opts: { recent?: boolean } = {}) {
  const { rt, session } = await currentSession();
  const here = `/${locale}/account${path}`;
  if (!session) redirect(signInHref(locale, here));
  if (opts.recent && !(await isRecent(rt, session.authTime))) redirect(signInHref(locale, here, true));
  const user = await rt.pool.users.get({ id: session.userId });
  if (!user) redirect(signInHref(locale, here));
  const req = await requestInfo();
  return { rt, session, user, csrf: req.csrf, hidden: { csrf: req.csrf, locale } };
}

const translator = (locale: Locale) => getTranslations({ locale });

export type AccountCtx = {
  rt: Awaited<ReturnType<typeof runtime>>;
  session: NonNullable<Awaited<ReturnType<typeof currentSession>>['session']>;
  locale: Locale;
  t: Awaited<ReturnType<typeof translator>>;
  ip: string;
  userAgent: string;
};

/**
 * Every account action starts here: CSRF, a live account session, and, for a sensitive change, a
 * recent sign-in (otherwise the browser signs in again and comes back to `opts.recent`'s page).
 */
export async function accountAction(data: FormData, opts: { recent?: string } = {}): Promise<AccountCtx | FormState> {
  const raw = String(data.get('locale') ?? '');
  const locale: Locale = isLocale(raw) ? raw : 'en';
  const t = await translator(locale);
  if (!isLocale(raw)) return errorState(t, { error: 'invalid_input' });
  const req = await requestInfo();
  const csrf = data.get('csrf');
  if (typeof csrf !== 'string' || !req.csrf || csrf !== req.csrf) return errorState(t, { error: 'csrf' });
  const { rt, session } = await currentSession();
  if (!session) return errorState(t, { error: 'session_expired' });
  if (opts.recent !== undefined && !(await isRecent(rt, session.authTime))) redirect(signInHref(locale, `/${locale}/account${opts.recent}`, true));
  return { rt, session, locale, t, ip: req.ip, userAgent: (await headers()).get('user-agent') ?? '' };
}

export function isAccountCtx(x: AccountCtx | FormState): x is AccountCtx {
  return 'session' in x;
}
