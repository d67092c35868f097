import { redirect } from 'next/navigation';
import type { FormState } from '@/components/FlowForm';
import { consoleTranslator, type ConsoleT } from '@/i18n/console';
import { isLocale, locales, type Locale } from '@/i18n/locales';
import type { AdminCallResult, Principal } from '@/server/admin';
import { runtime } from '@/server/runtime-handle';
import { ourCookies } from './cookies';
import { fieldReasons, type FieldOf } from './console-problem';
import { field as fieldValue, refusal } from './flow';
import { requestInfo } from './request';

/** A console page: `/<locale>/admin`, and up to three segments below it. */
const PATH = new RegExp(`^/(${locales.join('|')})/admin(/[A-Za-z0-9._~%@+-]{1,200}){0,3}$`);
export const isConsolePath = (p: string | null | undefined): p is string => typeof p === 'string' && PATH.test(p);

export const consoleSignInHref = (locale: string, returnTo: string) => `/api/console/login?lang=${locale}&return=${encodeURIComponent(returnTo)}`;

/** The page a console form posted without a console session is sent to: it says so, and signs in again back to `returnTo`. */
const sessionEndedHref = (locale: string, returnTo: string) => `/${locale}/admin/session-ended?return=${encodeURIComponent(returnTo)}`;

async function currentConsoleSession() {
  const rt = await runtime();
  const found = await rt.pool.console.sessions.find({ token: (await ourCookies()).get('console') });
  return { rt, found };
}

type Runtime = Awaited<ReturnType<typeof runtime>>;

/** What a console page or action has once the guard let it in. */
export interface ConsoleCtx {
  rt: Runtime;
  locale: Locale;
  t: ConsoleT;
  principal: Principal;
  /** The signed-in admin's user id (`sub`). */
  userId: string;
  session: { id: string; idToken: string };
  /** Hidden fields every console form carries. */
  hidden: { csrf: string; locale: string };
}

/**
 * The admin guard of every console page: no console session → sign in through the hosted UI and
 * come back to `path`; a session whose user is not in the admin group or signed in without a
 * second factor → the refusal page, which explains (403).
 */
export async function loadConsolePage(locale: Locale, path: string): Promise<ConsoleCtx> {
  const { rt, found } = await currentConsoleSession();
  const here = `/${locale}/admin${path}`;
  if (!found) redirect(consoleSignInHref(locale, here));
  if (found.refusal) redirect(`/${locale}/admin/refused?reason=${found.refusal}`);
  return ctxOf(rt, locale, found.session, (await requestInfo()).csrf);
}

function ctxOf(rt: Runtime, locale: Locale, session: { id: string; userId: string; idToken: string }, csrf: string): ConsoleCtx {
  return {
    rt,
    locale,
    t: consoleTranslator(locale),
    principal: { actor: { type: 'user', id: session.userId }, canWrite: true },
    userId: session.userId,
    session,
    hidden: { csrf, locale },
  };
}

/** For the console's route handlers (reads only, such as an export): the guard, answering undefined when refused. */
export async function consoleReader(locale: Locale): Promise<ConsoleCtx | undefined> {
  const { rt, found } = await currentConsoleSession();
  return found && !found.refusal ? ctxOf(rt, locale, found.session, '') : undefined;
}

/**
 * Every console action starts here: CSRF, then the same guard as the pages (a refusal answered as
 * a refused form). A session that ended while the form was open (signed out in another tab, its
 * grant revoked, expired) sends the browser on (303, a GET with or without JavaScript) to a page
 * that says nothing was saved and signs in again back to the page posted from. Answered as a form
 * instead, the page's own guard would redirect its re-render with a 307, which a browser follows
 * with the post, to the GET-only sign-in route (405); and with JavaScript nothing is re-rendered.
 */
export async function consoleAction(data: FormData, o: { onEnded?: (locale: Locale) => Promise<never> } = {}): Promise<ConsoleCtx | FormState> {
  const raw = String(data.get('locale') ?? '');
  const locale: Locale = isLocale(raw) ? raw : 'en';
  const t = consoleTranslator(locale);
  const req = await requestInfo();
  const csrf = data.get('csrf');
  if (typeof csrf !== 'string' || !req.csrf || csrf !== req.csrf) return refusal(t('errors.csrf'), 403);
  const { rt, found } = await currentConsoleSession();
  // Sign-out goes on without a console session (`onEnded`).
  if (!found && o.onEnded) return o.onEnded(locale);
  if (!found) {
    // The page posted to, as the proxy saw it (x-foyer-path: never a client's own header).
    const from = req.headers['x-foyer-path'];
    redirect(sessionEndedHref(locale, isConsolePath(from) ? from : `/${locale}/admin`));
  }
  if (found.refusal) return refusal(t(`refused.${found.refusal}`), 403);
  return ctxOf(rt, locale, found.session, req.csrf);
}

export const isConsoleCtx = (x: ConsoleCtx | FormState): x is ConsoleCtx => 'principal' in x;

/**
 * The admin API's operation, run in this process as the console's user: the same validation,
 * If-Match and audit as over HTTP. `path` is relative to /admin/api/v1.
 */
export function callAdmin(ctx: ConsoleCtx, o: { method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; path: string; body?: unknown; ifMatch?: string }): Promise<AdminCallResult> {
  return ctx.rt.adminApi.call({ principal: ctx.principal, ...o });
}

/** A path segment for the admin API (usernames and group names may hold anything). */
export const seg = (s: string) => encodeURIComponent(s);

/** A dynamic route segment (a username, a group name) as the page gets it, percent-decoded once. */
export function segmentParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The text of a JSON editor (policies, a provider, a theme) as a value, or the refused form: the
 * translated `message` at `field`, with the parser's own reason beside it and the text kept.
 */
export async function jsonField(data: FormData, field: string, message: string): Promise<{ value: unknown } | { refused: FormState }> {
  const text = fieldValue(data, field);
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    const state = await refusal(message, 400, { field, values: { [field]: text } });
    return { refused: { ...state, error: { message, field, reasons: [{ field, text: (e as Error).message, lang: 'en' }] } } };
  }
}

/**
 * A refused admin call as a form state: the translated kind of refusal, and each of the API's
 * field errors (worded by its code, see fieldReasons) beside the field it is about.
 * `fields` maps a JSON Pointer of the body to a form field: `/email` the e-mail field, `/scopes`
 * every `/scopes/3/name` too, `''` the whole body (a JSON editor, where the reason names its pointer).
 */
export async function problemState(t: ConsoleT, r: Extract<AdminCallResult, { ok: false }>, fields: Record<string, FieldOf> = {}, values?: Record<string, string>): Promise<FormState> {
  const kind = r.problem.kind;
  const { reasons, marked } = fieldReasons(t, r.problem.errors, fields);
  const known = ['invalid-request', 'not-found', 'conflict', 'precondition-failed', 'precondition-required', 'forbidden'] as const;
  const message =
    marked.length === 1
      ? t('errors.field', { field: marked[0] })
      : marked.length > 1
        ? t('errors.fields', { count: marked.length })
        : (known as readonly string[]).includes(kind)
          ? t(`errors.${kind as (typeof known)[number]}`)
          : t('errors.other', { status: r.status });
  const state = await refusal(message, r.status >= 400 && r.status < 500 ? r.status : 400, { field: reasons.find((x) => x.field)?.field, values });
  return { ...state, error: { message, field: state.error?.field, reasons } };
}
