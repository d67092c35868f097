import { cookies, headers } from 'next/headers';
import { notFound, redirect } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import type { FormState } from '@/components/FlowForm';
import { isLocale, type Locale } from '@/i18n/locales';
import { readInteraction, type InteractionView } from '@/server/oidc';
import { interactionOf } from './interaction';
import { STATUS_SIGNAL } from '@/server/http/status-signal';
import type { FlowOutcome, FlowPool, PoolError, PoolErrorCode, StepName, StepOf } from '@/server/pool';
import { runtime } from '@/server/runtime-handle';
import { ACCOUNT_CLIENT_ID } from '@/server/pool/account/client';
import { ourCookies } from './cookies';
import { browserLabel, keepDeviceToken } from './device-cookie';
import { requestInfo } from './request';
import { PREVIEW_UID, previewRequest, previewSteps, type PreviewScreen } from './preview';
import { currentTheme } from './theme';

export type { StepName };
const UID = /^[A-Za-z0-9_-]{1,64}$/;

/** The page that shows each step of the sign-in state machine. */
export const pageForStep: Record<StepName, string> = {
  'sign-in': 'login',
  'confirm-account': 'confirm',
  'new-password': 'new-password',
  'reset-password': 'reset-password',
  mfa: 'mfa',
  'mfa-setup': 'mfa/setup',
  'mfa-setup-sms': 'mfa/setup/sms',
  'passkey-setup': 'mfa/passkey',
  'recovery-codes': 'mfa/recovery-codes',
  'link-account': 'federation/link',
  passwordless: 'login/passwordless',
};

export function flowHref(locale: string, page: string, uid: string, extra = ''): string {
  return `/${locale}/${page}?uid=${encodeURIComponent(uid)}${extra}`;
}

/**
 * Loads what a flow page needs. A page bound to a later step only renders when the server says
 * that step is current; anything else goes back to where the flow really is.
 */
export async function loadFlowPage<K extends StepName>(locale: string, uid: string | undefined, wants: K | 'first') {
  const preview = await previewRequest();
  if (preview) return previewFlowPage(locale, preview.screen, wants);
  if (!uid || !UID.test(uid)) notFound();
  const rt = await runtime();
  const req = await requestInfo();
  const view = await interactionOf(uid);
  // In an app's iframe, a missing interaction cookie is the browser withholding storage: say so.
  if (!view && req.headers['sec-fetch-dest'] === 'iframe') redirect(flowHref(locale, 'embedded', uid));
  if (!view) notFound();
  if (view.prompt === 'consent') redirect(flowHref(locale, 'consent', uid));
  const step = await rt.pool.flow.current({ uid });
  if (wants !== 'first' && step.step !== wants) redirect(flowHref(locale, pageForStep[step.step], uid));
  const client = await rt.pool.clients.find({ clientId: view.clientId });
  // The account pages are our own app: their name is translated like the rest of the screen.
  const appName = view.clientId === ACCOUNT_CLIENT_ID ? (await getTranslations({ locale: isLocale(locale) ? locale : 'en' }))('account.appName') : (client?.client_name ?? view.clientId);
  return {
    rt,
    view,
    step: step as StepOf<K>,
    client,
    appName,
    csrf: req.csrf,
    settings: await rt.pool.settings(),
    theme: await currentTheme(),
    /** Mail is not really sent and this client may read the dev outbox. */
    showOutbox: rt.outboxVisibleTo(req.ip, 'email'),
    /** The same for text messages. */
    showSmsOutbox: rt.outboxVisibleTo(req.ip, 'sms'),
  };
}

/**
 * What a flow page needs, for the theme editor's preview: the screen's sample step, the pool's
 * real settings (so the screen looks as it will), no interaction, no client, no CSRF token (the
 * forms are inert, and a post would be refused anyway).
 */
async function previewFlowPage<K extends StepName>(locale: string, screen: PreviewScreen, wants: K | 'first') {
  const sample = Object.hasOwn(previewSteps, screen) ? previewSteps[screen as keyof typeof previewSteps] : null;
  if (!sample || (wants !== 'first' && sample.step !== wants)) notFound();
  const rt = await runtime();
  const t = await getTranslations({ locale: isLocale(locale) ? locale : 'en' });
  const view: InteractionView = { uid: PREVIEW_UID, prompt: 'login', clientId: PREVIEW_UID, params: {}, missingScopes: [] };
  return {
    rt,
    view,
    step: sample as unknown as StepOf<K>,
    client: undefined,
    appName: t('preview.appName'),
    csrf: '',
    settings: await rt.pool.settings(),
    theme: await currentTheme(),
    showOutbox: false,
    showSmsOutbox: false,
  };
}

const translator = (locale: Locale) => getTranslations({ locale });

type Ctx = {
  rt: Awaited<ReturnType<typeof runtime>>;
  uid: string;
  locale: Locale;
  ip: string;
  headers: Record<string, string>;
  view: InteractionView;
  t: Awaited<ReturnType<typeof translator>>;
};

/**
 * Every flow action starts here: CSRF, a live interaction bound to this browser, a locale. The
 * step is the pool's to check, as the action runs (`actOn`, `pool.flow.run`).
 */
export async function actionContext(data: FormData): Promise<Ctx | FormState> {
  const form = await formContext(data);
  if (!isFormCtx(form)) return form;
  const { locale, t, req } = form;
  const uid = data.get('uid');
  if (typeof uid !== 'string' || !UID.test(uid)) return errorState(t, { error: 'session_expired' });
  const rt = await runtime();
  const view = await readInteraction(rt.provider, req.headers, uid);
  if (!view) return errorState(t, { error: 'session_expired' });
  return { rt, uid, locale, ip: req.ip, headers: req.headers, view, t };
}

type FormCtx = { locale: Locale; t: Ctx['t']; req: Awaited<ReturnType<typeof requestInfo>> };

/** A hosted form's locale and CSRF token checked: where every action outside the console starts. */
export async function formContext(data: FormData): Promise<FormCtx | FormState> {
  const locale = String(data.get('locale') ?? '');
  const t = await translator(isLocale(locale) ? locale : 'en');
  if (!isLocale(locale)) return errorState(t, { error: 'invalid_input' });
  const req = await requestInfo();
  const csrf = data.get('csrf');
  if (typeof csrf !== 'string' || !req.csrf || csrf !== req.csrf) return errorState(t, { error: 'csrf' });
  return { locale, t, req };
}

export function isFormCtx(x: FormCtx | FormState): x is FormCtx {
  return 'req' in x;
}

export function isCtx(x: Ctx | FormState): x is Ctx {
  return 'rt' in x;
}

const statusFor = (code: PoolErrorCode) =>
  code === 'csrf' || code === 'sign_up_disabled' ? 403 : code === 'rate_limited' || code === 'locked_out' ? 429 : code === 'session_expired' || code === 'wrong_step' ? 409 : 400;

/** A refused form with a message already translated; without JavaScript the page gets `status`. */
export async function refusal(message: string, status: number, extra: { field?: string; values?: Record<string, string> } = {}): Promise<FormState> {
  if (!(await headers()).get('next-action')) {
    (await cookies()).set(STATUS_SIGNAL, String(status), { maxAge: 0, path: '/' });
  }
  return { error: { message, field: extra.field }, values: extra.values };
}

/** A refused form: the translated message, and for a form posted without JavaScript a 4xx status. */
export async function errorState(t: Ctx['t'], e: PoolError, values?: Record<string, string>): Promise<FormState> {
  const params = { ...(e.params ?? {}), seconds: e.retryAfter ?? 0 };
  // A code from a validator that has no message of its own still gets a translated sentence.
  const key = t.has(`errors.${e.error}`) ? e.error : 'invalid_input';
  return refusal(t(`errors.${key}`, params as never), statusFor(e.error), { field: e.field, values });
}

/**
 * Acts on the flow's current step through the pool (refused with `wrong_step` unless it is one of
 * `expect`), then moves on: the refusal as a translated form state, or `advance`.
 */
export async function actOn<K extends StepName>(
  ctx: Ctx,
  expect: K | readonly K[],
  run: (step: StepOf<K>, pool: FlowPool) => Promise<FlowOutcome | PoolError>,
  o: { notice?: string; values?: Record<string, string>; passed?: () => Promise<void> } = {},
): Promise<FormState> {
  const outcome = await ctx.rt.pool.flow.run({ uid: ctx.uid, clientId: ctx.view.clientId, ip: ctx.ip, expect, run });
  if ('error' in outcome) return errorState(ctx.t, outcome, o.values);
  // `passed`: what the action keeps once the step was passed (the sign-in method last used).
  await o.passed?.();
  return advance(ctx, outcome, o.notice);
}

/** After `pool.flow.run` (which saved a next step): shows the next step's page, or finishes the sign-in. */
export async function advance(ctx: Ctx, outcome: FlowOutcome, notice?: string): Promise<FormState> {
  if ('done' in outcome) {
    const remember = outcome.done.rememberDevice;
    if (remember) {
      await keepDeviceToken(remember.token, remember.days);
      const label = browserLabel(ctx.headers['user-agent'] ?? '');
      if (label) await ctx.rt.pool.account.labelDevice({ token: remember.token, label });
    }
    // The pool's one finish (federation's hook links an outside identity proved on the way).
    const to = await ctx.rt.finishSignIn(ctx.headers, ctx.uid, outcome.done);
    if (!to) return errorState(ctx.t, { error: 'session_expired' });
    // A new CSRF token from the next page on (the proxy mints it): one planted or seen before
    // signing in is worth nothing after.
    (await ourCookies()).delete('csrf');
    redirect(to);
  }
  redirect(flowHref(ctx.locale, pageForStep[outcome.next.step], ctx.uid, notice ? `&notice=${notice}` : ''));
}

/** Reads a form field as a string; a missing field or a file is an empty string. */
export function field(data: FormData, name: string): string {
  const v = data.get(name);
  return typeof v === 'string' ? v : '';
}
