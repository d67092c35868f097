import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import type { FormState } from '@/components/FlowForm';
import { isLocale, locales, type Locale } from '@/i18n/locales';
import { runtime } from '@/server/runtime-handle';
import { displayName } from '@/server/federation';
import { ourCookies } from './cookies';
import { errorState } from './flow';
import { requestInfo } from './request';
import { previewRequest } from './preview';
import { previewAccountPage } from './preview-account';
import type { LinkedIdentity, Passkey, SecurityOverview, User } from '@/server/pool';

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

type Runtime = Awaited<ReturnType<typeof runtime>>;
export type AccountSession = NonNullable<Awaited<ReturnType<Runtime['pool']['account']['sessions']['find']>>>;

/**
 * What the account pages show beyond the user record: read from the pool for the signed-in user,
 * or the theme editor's samples (app/_lib/preview-account.ts) — the pages read only through here,
 * so a preview never touches a real account.
 */
export interface AccountData {
  security(): Promise<SecurityOverview>;
  devices(): ReturnType<Runtime['pool']['account']['devices']>;
  signIns(): ReturnType<Runtime['pool']['account']['signIns']>;
  passkeys(): Promise<Passkey[]>;
  /** Linked outside identities, each with its provider's display name. */
  identities(): Promise<(LinkedIdentity & { label: string })[]>;
  /** An app's name as its client record gives it, if it has one. */
  clientName(clientId: string): Promise<string | undefined>;
  /** A new authenticator-app secret waiting in the session for its first code, and its otpauth URI. */
  totpSetup(): Promise<{ secret: string; uri: string }>;
  /** The recovery codes to show once (null once shown). */
  recoveryCodes(): Promise<string[] | null>;
  /** Whether this reader may see the dev outbox (of one channel). */
  outboxVisible(channel?: 'email' | 'sms'): boolean;
}

export interface AccountPage {
  rt: Runtime;
  session: AccountSession;
  user: User;
  csrf: string;
  hidden: { csrf: string; locale: Locale };
  data: AccountData;
}

/** The signed-in user's account, read through the pool. */
export function accountData(rt: Runtime, session: AccountSession, user: User, ip: string): AccountData {
  return {
    security: () => rt.pool.account.security({ userId: user.id }),
    devices: () => rt.pool.account.devices({ userId: user.id }),
    signIns: () => rt.pool.account.signIns({ userId: user.id, currentGrantId: session.grantId }),
    passkeys: () => rt.pool.passkeys.list({ userId: user.id }),
    async identities() {
      const providers = await rt.federation.providers.list();
      return (await rt.pool.identities.list({ userId: user.id })).map((i) => {
        const idp = providers.find((p) => p.name === i.providerName);
        return { ...i, label: idp ? displayName(idp) : i.providerName };
      });
    },
    clientName: async (clientId) => (await rt.pool.clients.find({ clientId }))?.client_name ?? undefined,
    async totpSetup() {
      const secret = await rt.pool.account.startTotpSetup({ userId: user.id, session });
      return { secret, uri: await rt.pool.mfa.totpUri({ secret, account: user.email ?? user.username }) };
    },
    async recoveryCodes() {
      const revealed = await rt.pool.account.sessions.takeReveal({ id: session.id });
      return revealed ? (JSON.parse(revealed) as string[]) : null;
    },
    outboxVisible: (channel) => rt.outboxVisibleTo(ip, channel),
  };
}

/**
 * Loads an account page for the signed-in user, or sends the browser to sign in (again, when the
 * page changes something sensitive and the last sign-in is not recent). On a preview screen: the
 * sample user, whoever is signed in.
 */
export async function loadAccountPage(locale: Locale, path: string, opts: { recent?: boolean } = {}): Promise<AccountPage> {
  const preview = await previewRequest();
  if (preview) return previewAccountPage(locale, preview.screen);
  const { rt, session } = await currentSession();
  const here = `/${locale}/account${path}`;
  if (!session) redirect(signInHref(locale, here));
  if (opts.recent && !(await isRecent(rt, session.authTime))) redirect(signInHref(locale, here, true));
  const user = await rt.pool.users.get({ id: session.userId });
  if (!user) redirect(signInHref(locale, here));
  const req = await requestInfo();
  return { rt, session, user, csrf: req.csrf, hidden: { csrf: req.csrf, locale }, data: accountData(rt, session, user, req.ip) };
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
