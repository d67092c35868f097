import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext, APIResponse, Browser, BrowserContext, Page } from '@playwright/test';
import { test, expect, repoRoot, PARTNER_REDIRECT_URI, RP_REDIRECT_URI } from './fixtures/foyer';
import { GOOD_PASSPHRASE, freshUser, reachScreen, startAtDemo, formTestId, submitTestId, type Screen } from './fixtures/flows';

/** The bad-input matrix runs left to right and right to left; every locale's catalogue is checked in messages/. */
type Locale = 'en' | 'ar';
import { errorMessage, signIn } from './fixtures/pages';
import { rotatingSlice, SAMPLE_SEED } from './fixtures/sample';

/**
 * Bad input never breaks Foyer: whatever is posted or put on a URL, the answer is never a 5xx;
 * refused input gets a 4xx and a clear, translated message; nothing echoed back ever runs.
 *
 * The form tests post the real forms WITHOUT JavaScript (plain HTML form posts, as a browser
 * with scripts off does), after stripping the browser-side constraints (required, maxlength,
 * type, pattern) so that the server is what refuses. Every main-document response is recorded.
 */

// ---------------------------------------------------------------------------------------------
// Messages: what a "clear, translated error" may say

type Catalogue = { errors: Record<string, string>; errorPage: { crashed: string; codes: Record<string, string> } };
const catalogue = (l: Locale): Catalogue => JSON.parse(fs.readFileSync(path.join(repoRoot, 'messages', `${l}.json`), 'utf8')) as Catalogue;
const catalogues: Record<Locale, Catalogue> = { en: catalogue('en'), ar: catalogue('ar') };

/** An ICU message as a RegExp: literal text, each top-level `{…}` argument (plural or not) as `.+?`. */
function icuPattern(msg: string): RegExp {
  let out = '';
  let depth = 0;
  for (const ch of msg) {
    if (ch === '{') {
      if (depth === 0) out += '.+?';
      depth++;
    } else if (ch === '}') {
      depth--;
    } else if (depth === 0) {
      out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${out}$`, 's');
}

const patterns: Record<Locale, Record<string, RegExp>> = {
  en: Object.fromEntries(Object.entries(catalogues.en.errors).map(([k, v]) => [k, icuPattern(v)])),
  ar: Object.fromEntries(Object.entries(catalogues.ar.errors).map(([k, v]) => [k, icuPattern(v)])),
};

/** Which `errors.*` message a text is, or undefined when it is none of them (untranslated, raw, …). */
function whichError(locale: Locale, text: string): string | undefined {
  return Object.entries(patterns[locale]).find(([, re]) => re.test(text))?.[0];
}

// ---------------------------------------------------------------------------------------------
// Malformed values

/** A value built in the page: exact UTF-16 code units (so lone surrogates survive), or a long repeat. */
type Val = { codes: number[] } | { repeat: string; count: number };
const v = (s: string): Val => ({ codes: [...Array(s.length).keys()].map((i) => s.charCodeAt(i)) });
const long = (count: number, unit = 'a'): Val => ({ repeat: unit, count });

type Case = { name: string; value: Val };
const CASES: Case[] = [
  { name: 'empty', value: v('') },
  { name: '10,000 chars', value: long(10_000) },
  { name: 'NUL', value: v('ab\u0000cd') },
  { name: 'BEL', value: v('ab\u0007cd') },
  { name: 'bidi override U+202E', value: v('ab\u202Eexe.') },
  { name: 'zero-width space', value: v('us\u200Ber') },
  { name: 'noncharacter U+FFFF', value: v('a\uFFFFb') },
  { name: 'lone surrogate', value: v('a\uD800b') },
  { name: 'emoji', value: v('😀🙈') },
  { name: 'emoji ZWJ sequence', value: v('👩\u200D👩\u200D👧') },
  { name: 'combining marks', value: v('e\u0301\u0302\u0303\u0304') },
  { name: 'SQL-ish', value: v("' OR 1=1 --") },
  { name: 'HTML', value: v('<script>alert(1)</script>') },
];
const HUGE: Case = { name: '1,000,000 chars', value: long(1_000_000) };

/** The visible fields each form gets the malformed value in. */
const FIELDS: Record<Exclude<Screen, 'consent'>, string[]> = {
  login: ['identifier', 'password'],
  signup: ['username', 'email', 'password'],
  confirm: ['code'],
  'forgot-password': ['identifier'],
  'reset-password': ['code', 'password'],
  'new-password': ['password'],
};

/**
 * Values a form legitimately accepts (the test then only checks for no 5xx and the next screen).
 * Forgot-password answers every well-formed identifier alike, so as not to reveal which exist;
 * a lone surrogate reaches the server as U+FFFD (browsers encode forms as UTF-8), a printable symbol.
 */
const ACCEPTED: Partial<Record<Screen, Record<string, string>>> = {
  'forgot-password': { emoji: 'reset-password', 'emoji ZWJ sequence': 'reset-password', 'combining marks': 'reset-password', 'SQL-ish': 'reset-password', HTML: 'reset-password', 'lone surrogate': 'reset-password' },
};
/** Cases left out of a form, and why. */
const SKIPPED: Partial<Record<Screen, string[]>> = {
  // A 25-character password that is perfectly valid: it would finish FORCED's password change.
  'new-password': ['HTML'],
};

/** Well-formed values for the tampered-hidden-field posts, so that only the tampering is wrong. */
function plausible(screen: Screen): Record<string, Val> {
  switch (screen) {
    case 'login':
      return { identifier: v('nobody-at-all'), password: v('not-the-password') };
    case 'signup': {
      const u = freshUser('tamper');
      return { username: v(u.username), email: v(u.email), password: v(GOOD_PASSPHRASE) };
    }
    case 'confirm':
      return { code: v('123456') };
    case 'forgot-password':
      return { identifier: v('nobody@example.test') };
    case 'reset-password':
      return { code: v('123456'), password: v(GOOD_PASSPHRASE) };
    case 'new-password':
      // Too short: had the tampering gone unnoticed, FORCED's flow is still not finished.
      return { password: v('short') };
    case 'consent':
      return {};
  }
}

// ---------------------------------------------------------------------------------------------
// Recording and submitting

type Seen = { method: string; status: number; url: string };

/** Records every main-frame document response and every dialog of a page. */
function watch(page: Page, all = false) {
  const seen: Seen[] = [];
  const dialogs: string[] = [];
  page.on('response', (r) => {
    const req = r.request();
    if (all || (req.resourceType() === 'document' && r.frame() === page.mainFrame())) {
      seen.push({ method: req.method(), status: r.status(), url: r.url().slice(0, 200) });
    }
  });
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss().catch(() => {});
  });
  return { seen, dialogs, fivexx: () => seen.filter((s) => s.status >= 500) };
}

type Submission = {
  /** Visible fields: value to set (constraints removed first). */
  fill?: Record<string, Val>;
  /** Hidden fields: value to set, or null to remove the field. */
  hidden?: Record<string, Val | null>;
  /** Extra hidden fields to add. */
  extra?: Record<string, Val>;
  /** The submit button (data-testid) and optionally a value to give it. */
  button: string;
  buttonValue?: Val;
};

/** Tampers with the form in the page, then clicks its button; resolves with the POST's response. */
async function post(page: Page, screen: Screen, s: Submission): Promise<{ status: number; body: string }> {
  await page.evaluate(
    ({ formId, fill, hidden, extra, button, buttonValue }) => {
      const str = (x: { codes: number[] } | { repeat: string; count: number }) => {
        if ('codes' in x) {
          let out = '';
          for (const c of x.codes) out += String.fromCharCode(c);
          return out;
        }
        return x.repeat.repeat(x.count);
      };
      const f = document.querySelector(`[data-testid="${formId}"]`) as HTMLFormElement;
      if (!f) throw new Error(`no form ${formId}`);
      f.noValidate = true;
      for (const [name, x] of Object.entries(fill)) {
        const input = f.querySelector(`[name="${name}"]`) as HTMLInputElement;
        if (!input) throw new Error(`no field ${name}`);
        for (const a of ['required', 'maxlength', 'minlength', 'pattern', 'type', 'inputmode']) input.removeAttribute(a);
        input.value = str(x);
      }
      for (const [name, x] of Object.entries(hidden)) {
        const input = f.querySelector(`input[type=hidden][name="${name}"]`) as HTMLInputElement;
        if (!input) throw new Error(`no hidden field ${name}`);
        if (x === null) input.remove();
        else input.value = str(x);
      }
      for (const [name, x] of Object.entries(extra)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = str(x);
        f.appendChild(input);
      }
      if (buttonValue) (f.querySelector(`[data-testid="${button}"]`) as HTMLButtonElement).value = str(buttonValue);
    },
    { formId: formTestId[screen], fill: s.fill ?? {}, hidden: s.hidden ?? {}, extra: s.extra ?? {}, button: s.button, buttonValue: s.buttonValue },
  );
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().resourceType() === 'document' && r.frame() === page.mainFrame(), { timeout: 30_000 });
  await page.getByTestId(formTestId[screen]).getByTestId(s.button).click();
  const res = await answered;
  const body = await res.text().catch(() => '');
  await page.waitForLoadState('domcontentloaded');
  return { status: res.status(), body };
}

/** The shown error message, checked: visible, role=alert, one of the catalogue's messages for `locale`. */
async function checkError(page: Page, locale: Locale, label: string, key?: string): Promise<void> {
  const alert = errorMessage(page);
  await expect.soft(alert, `${label}: an error message is shown`).toBeVisible({ timeout: 5_000 });
  if (!(await alert.isVisible())) return;
  await expect.soft(alert, `${label}: the error is role=alert`).toHaveAttribute('role', 'alert');
  const text = ((await alert.textContent()) ?? '').trim();
  const which = whichError(locale, text);
  const what = `${label}: "${text.slice(0, 160)}" should be a translated ${locale} message${key ? ` (errors.${key})` : ''}`;
  if (key) expect.soft(which, what).toBe(key);
  else expect.soft(which, what).toBeDefined();
  if (locale === 'ar') expect.soft(text, `${label}: Arabic text`).toMatch(/[\u0600-\u06FF]/);
}

async function noJsPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  return { context, page };
}

// ---------------------------------------------------------------------------------------------
// Forms without JavaScript: every malformed value, every form

const SCREENS = ['login', 'signup', 'confirm', 'forgot-password', 'reset-password', 'new-password'] as const;

// Each screen takes a rotating half of the cases per run (all with E2E_FULL=1); the oversized post always.
SCREENS.forEach((screen, row) => {
  test(`no JS: ${screen} refuses malformed values with a 4xx and a translated message, never a 5xx (seed ${SAMPLE_SEED})`, async ({ browser, foyer }) => {
    test.setTimeout(120_000);
    const { context, page } = await noJsPage(browser);
    const w = watch(page);
    const url = await reachScreen(page, foyer.url, 'en', screen);
    const cases = [...rotatingSlice(CASES.filter((c) => !SKIPPED[screen]?.includes(c.name)), 7, row), HUGE];
    for (const c of cases) {
      await page.goto(url);
      const label = `${screen} / ${c.name}`;
      const fill = Object.fromEntries(FIELDS[screen].map((f) => [f, c.value]));
      const { status, body } = await post(page, screen, { fill, button: submitTestId[screen] });
      expect.soft(status, `${label}: never a 5xx`).toBeLessThan(500);
      if (status >= 500) continue;
      if (c === HUGE) {
        // Larger than any form may be: refused before the action runs, with our error page.
        expect.soft(status, `${label}: 413`).toBe(413);
        await expect.soft(page.getByTestId('error-page'), `${label}: error page`).toHaveAttribute('data-code', 'request_too_large');
        await expect.soft(page.getByTestId('error-page'), `${label}: translated`).toHaveText(catalogues.en.errorPage.codes.request_too_large);
        continue;
      }
      const next = ACCEPTED[screen]?.[c.name];
      if (next) {
        // Accepted by design: a redirect to the next screen.
        expect.soft(status, `${label}: accepted, redirected`).toBe(303);
        await expect.soft(page, `${label}: on to ${next}`).toHaveURL(new RegExp(`/en/${next}\\?uid=`));
        continue;
      }
      expect.soft(status, `${label}: refused with a 4xx`).toBeGreaterThanOrEqual(400);
      await checkError(page, 'en', label);
      if (c.name === 'HTML') {
        expect.soft(body, `${label}: the echoed value is escaped`).not.toContain('<script>alert(1)</script>');
        // Echoed back as the field's value, as text.
        const echoed = { login: 'identifier', signup: 'username' }[screen as string];
        if (echoed) await expect.soft(page.getByTestId(formTestId[screen]).locator(`[name="${echoed}"]`), `${label}: echoed as text`).toHaveValue('<script>alert(1)</script>');
      }
    }
    expect(w.dialogs, 'no script ever ran').toEqual([]);
    expect(w.fivexx(), 'no 5xx document response').toEqual([]);
    await context.close();
  });
});

const TAMPERED: { name: string; hidden: Record<string, Val | null>; status: number | 'any4xx'; key: string }[] = [
  { name: 'csrf wrong', hidden: { csrf: v('wrong-csrf-token-value') }, status: 403, key: 'csrf' },
  { name: 'csrf empty', hidden: { csrf: v('') }, status: 403, key: 'csrf' },
  { name: 'csrf missing', hidden: { csrf: null }, status: 403, key: 'csrf' },
  { name: 'uid garbage', hidden: { uid: v('../../etc/passwd') }, status: 'any4xx', key: 'session_expired' },
  { name: 'uid well-formed but unknown', hidden: { uid: v('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') }, status: 'any4xx', key: 'session_expired' },
  { name: 'uid 200 chars', hidden: { uid: long(200, 'x') }, status: 'any4xx', key: 'session_expired' },
  { name: 'locale xx', hidden: { locale: v('xx') }, status: 'any4xx', key: 'invalid_input' },
];

// A rotating four of the seven tamperings per screen and run (all with E2E_FULL=1).
([...SCREENS, 'consent'] as const).forEach((screen, row) => {
  test(`no JS: ${screen} with tampered hidden fields is refused (CSRF 403, uid, locale) (seed ${SAMPLE_SEED})`, async ({ browser, foyer }) => {
    const { context, page } = await noJsPage(browser);
    const w = watch(page);
    const url = await reachScreen(page, foyer.url, 'en', screen);
    for (const t of rotatingSlice(TAMPERED, 4, row)) {
      await page.goto(url);
      const label = `${screen} / ${t.name}`;
      const { status } = await post(page, screen, { fill: plausible(screen), hidden: t.hidden, button: submitTestId[screen] });
      expect.soft(status, `${label}: never a 5xx`).toBeLessThan(500);
      if (status >= 500) continue;
      if (t.status === 'any4xx') {
        expect.soft(status, `${label}: a 4xx`).toBeGreaterThanOrEqual(400);
        expect.soft(status, `${label}: a 4xx`).toBeLessThan(500);
      } else {
        expect.soft(status, `${label}: status`).toBe(t.status);
      }
      await checkError(page, 'en', label, t.key);
    }
    expect(w.dialogs).toEqual([]);
    expect(w.fivexx(), 'no 5xx document response').toEqual([]);
    await context.close();
  });
});

test('no JS: consent refuses an oversized post, and a garbage intent only ever denies', async ({ browser, foyer }) => {
  const { context, page } = await noJsPage(browser);
  const w = watch(page);
  const url = await reachScreen(page, foyer.url, 'en', 'consent');
  // 1,000,000 characters riding along in an extra field.
  const huge = await post(page, 'consent', { extra: { padding: HUGE.value }, button: 'allow' });
  expect.soft(huge.status, 'consent / 1,000,000 chars: never a 5xx').toBeLessThan(500);
  expect.soft(huge.status, 'consent / 1,000,000 chars: a 4xx').toBeGreaterThanOrEqual(400);
  // The same screen still works: nothing was granted.
  await page.goto(url);
  await expect(page.getByTestId('consent-form')).toBeVisible();
  // A garbage intent is not "allow": the partner gets access_denied, never a code.
  // Nothing listens at the partner's redirect URI (port 9): the browser's request there is its answer.
  const landed = page.waitForRequest((r) => r.url().startsWith(`${PARTNER_REDIRECT_URI}?`));
  const garbage = await post(page, 'consent', { button: 'allow', buttonValue: v('<script>alert(1)</script>') });
  expect.soft(garbage.status, 'consent / garbage intent: never a 5xx').toBeLessThan(500);
  const back = new URL((await landed).url());
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('code')).toBeNull();
  expect(w.dialogs).toEqual([]);
  expect(w.fivexx(), 'no 5xx document response').toEqual([]);
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Arabic: the same refusals, in Arabic

const AR_CASES: { name: string; fill: (s: Exclude<Screen, 'consent'>) => Record<string, Val>; hidden?: Record<string, Val | null>; status?: number }[] = [
  { name: 'NUL in every field', fill: (s) => Object.fromEntries(FIELDS[s].map((f) => [f, v('ab\u0000cd')])) },
  { name: '10,000 chars in every field', fill: (s) => Object.fromEntries(FIELDS[s].map((f) => [f, long(10_000)])) },
  { name: 'csrf wrong', fill: (s) => plausible(s), hidden: { csrf: v('wrong') }, status: 403 },
];

for (const screen of SCREENS) {
  test(`no JS, Arabic: ${screen} refuses with an Arabic message`, async ({ browser, foyer }) => {
    const { context, page } = await noJsPage(browser);
    const w = watch(page);
    const url = await reachScreen(page, foyer.url, 'ar', screen);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
    for (const c of AR_CASES) {
      await page.goto(url);
      const label = `ar ${screen} / ${c.name}`;
      const { status } = await post(page, screen, { fill: c.fill(screen), hidden: c.hidden, button: submitTestId[screen] });
      expect.soft(status, `${label}: never a 5xx`).toBeLessThan(500);
      if (status >= 500) continue;
      if (c.status) expect.soft(status, `${label}: status`).toBe(c.status);
      else expect.soft(status, `${label}: a 4xx`).toBeGreaterThanOrEqual(400);
      await checkError(page, 'ar', label, c.hidden ? 'csrf' : undefined);
    }
    expect(w.fivexx(), 'no 5xx document response').toEqual([]);
    await context.close();
  });
}

test('no JS, Arabic: consent with a wrong CSRF token says so in Arabic, 403', async ({ browser, foyer }) => {
  const { context, page } = await noJsPage(browser);
  const w = watch(page);
  await reachScreen(page, foyer.url, 'ar', 'consent');
  const { status } = await post(page, 'consent', { hidden: { csrf: v('wrong') }, button: 'allow' });
  expect(status).toBe(403);
  await checkError(page, 'ar', 'ar consent / csrf wrong', 'csrf');
  expect(w.fivexx()).toEqual([]);
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// With JavaScript: the server action is called by fetch; same promises

const JS_CASES: Case[] = [...CASES.filter((c) => ['empty', '10,000 chars', 'NUL', 'noncharacter U+FFFF', 'SQL-ish', 'HTML'].includes(c.name)), HUGE];

for (const screen of ['login', 'signup', 'forgot-password'] as const) {
  test(`with JS: ${screen} refuses malformed values with a visible translated message, never a 5xx`, async ({ page, foyer }) => {
    test.setTimeout(90_000);
    const w = watch(page, true);
    const url = await reachScreen(page, foyer.url, 'en', screen);
    const cases = JS_CASES.filter((c) => !ACCEPTED[screen]?.[c.name]);
    for (const c of cases) {
      await page.goto(url);
      await expect(page.getByTestId(formTestId[screen])).toBeVisible();
      const label = `JS ${screen} / ${c.name}`;
      const before = w.seen.length;
      const fill = Object.fromEntries(FIELDS[screen].map((f) => [f, c.value]));
      const answered = page.waitForResponse((r) => r.request().method() === 'POST', { timeout: 30_000 });
      await page.evaluate(
        ({ formId, fill }) => {
          const f = document.querySelector(`[data-testid="${formId}"]`) as HTMLFormElement;
          f.noValidate = true;
          for (const [name, x] of Object.entries(fill)) {
            const input = f.querySelector(`[name="${name}"]`) as HTMLInputElement;
            for (const a of ['required', 'maxlength', 'minlength', 'pattern', 'type', 'inputmode']) input.removeAttribute(a);
            input.value = 'codes' in x ? String.fromCharCode(...x.codes) : x.repeat.repeat(x.count);
          }
        },
        { formId: formTestId[screen], fill },
      );
      await page.getByTestId(submitTestId[screen]).click();
      const res = await answered;
      expect.soft(res.status(), `${label}: the action's response is not a 5xx`).toBeLessThan(500);
      if (c === HUGE) {
        // Refused (413) before the action runs; the screen's error boundary says so, translated.
        expect.soft(res.status(), `${label}: 413`).toBe(413);
        await expect.soft(errorMessage(page), `${label}: translated failure`).toHaveText(catalogues.en.errorPage.crashed);
      } else {
        await checkError(page, 'en', label);
      }
      const late = w.seen.slice(before).filter((s) => s.status >= 500);
      expect.soft(late, `${label}: no 5xx response at all`).toEqual([]);
    }
    expect(w.dialogs, 'no script ever ran').toEqual([]);
    expect(w.fivexx(), 'no 5xx response').toEqual([]);
  });
}

// ---------------------------------------------------------------------------------------------
// Nothing half-written

test('a refused sign-up creates nothing: that username cannot sign in, and can still be signed up', async ({ browser, foyer }) => {
  test.setTimeout(90_000);
  const { context, page } = await noJsPage(browser);
  const w = watch(page);
  const badEmail = freshUser('halfmail');
  const common = freshUser('halfpass');
  const ctrl = freshUser('halfctrl');
  const refusals: { user: { username: string; email: string }; fill: Record<string, Val>; key: string }[] = [
    { user: badEmail, fill: { username: v(badEmail.username), email: v('not-an-email'), password: v(GOOD_PASSPHRASE) }, key: 'invalid_email' },
    { user: common, fill: { username: v(common.username), email: v(common.email), password: v('passwordpassword') }, key: 'password_common' },
    { user: ctrl, fill: { username: v(ctrl.username), email: v(ctrl.email), password: v(`${GOOD_PASSPHRASE}\u0000`) }, key: 'invalid_characters' },
  ];
  for (const r of refusals) {
    await startAtDemo(page, foyer.url, 'en', 'signup');
    const { status } = await post(page, 'signup', { fill: r.fill, button: 'sign-up' });
    expect(status, `${r.key}: refused`).toBe(400);
    await checkError(page, 'en', `sign-up refused (${r.key})`, r.key);
  }
  for (const r of refusals) {
    for (const [identifier, password] of [
      [r.user.username, GOOD_PASSPHRASE],
      [r.user.username, 'passwordpassword'],
      [r.user.email, GOOD_PASSPHRASE],
    ]) {
      await startAtDemo(page, foyer.url, 'en', 'login');
      await signIn(page, identifier, password);
      await page.waitForLoadState('domcontentloaded');
      await expect(page, `${identifier} did not get further than sign-in`).toHaveURL(/\/en\/login\?uid=/);
      await checkError(page, 'en', `sign in as ${identifier}`, 'invalid_credentials');
    }
  }
  // And the names are still free: signing up properly now works.
  await startAtDemo(page, foyer.url, 'en', 'signup');
  const ok = await post(page, 'signup', { fill: { username: v(common.username), email: v(common.email), password: v(GOOD_PASSPHRASE) }, button: 'sign-up' });
  expect(ok.status).toBe(303);
  await expect(page).toHaveURL(/\/en\/confirm\?uid=/);
  expect(w.fivexx()).toEqual([]);
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// Query parameters and protocol endpoints

const PAGES = ['/login', '/signup', '/confirm', '/forgot-password', '/reset-password', '/new-password', '/consent', '/error', '/logout', '/logout/done', '/dev/outbox', '', '/demo'];
/** Pages that need a live interaction (`uid`) or a logout secret (`xsrf`), or are off on this server (outbox with SMTP and an SMS provider). */
const NEEDS_MORE = new Set(['/login', '/signup', '/confirm', '/forgot-password', '/reset-password', '/new-password', '/consent', '/logout', '/dev/outbox']);

/** Each query string, and the status every page must answer it with (400 = our error page, invalid_request). */
const QUERIES: { q: string; status: (page: string) => number }[] = [
  { q: '', status: (p) => (NEEDS_MORE.has(p) ? 404 : 200) },
  { q: '?uid=..%2F..%2Fetc%2Fpasswd', status: () => 400 },
  { q: '?uid=../../etc', status: () => 400 },
  { q: `?uid=${'A'.repeat(200)}`, status: () => 400 },
  { q: '?uid=%00', status: () => 400 },
  { q: '?uid=', status: () => 400 },
  { q: '?uid=a&uid=b', status: () => 400 },
  { q: '?uid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', status: (p) => (NEEDS_MORE.has(p) ? 404 : 200) },
  { q: '?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E', status: () => 400 },
  { q: '?lang=zz', status: (p) => (NEEDS_MORE.has(p) ? 404 : 200) },
  { q: '?lang=%3Cscript%3E', status: () => 400 },
  { q: '?xsrf=!!', status: () => 400 },
  { q: '?client_id=%3Cx%3E', status: () => 400 },
  { q: '?notice=%0d%0aSet-Cookie:x=1', status: () => 400 },
  { q: '?error=%F0%9F%98%80', status: () => 400 },
];

test('GET every page with malformed query parameters: never a 5xx, the error page with a 400 when malformed', async ({ request, foyer }) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  for (const locale of ['en', 'ar'] as const) {
    for (const p of PAGES) {
      for (const { q, status } of QUERIES) {
        if (locale === 'ar' && q !== '?uid=../../etc' && q !== '') continue;
        const url = `/${locale}${p}${q}`;
        const res = await request.get(`${foyer.url}${url}`, { maxRedirects: 0 });
        const want = status(p);
        const body = await res.text();
        const errorPage = body.includes('data-testid="error-page"') && body.includes('data-code="invalid_request"');
        if (res.status() >= 500) problems.push(`${url}: ${res.status()} (5xx)`);
        else if (res.status() !== want) problems.push(`${url}: ${res.status()}, expected ${want}${want === 400 && errorPage ? ' (the error page is shown, with the wrong status)' : ''}`);
        else if (want === 400) {
          if (!errorPage) problems.push(`${url}: 400 but not our error page (invalid_request)`);
          if (!body.includes(`<html lang="${locale}"`)) problems.push(`${url}: error page not in ${locale}`);
          if (/<script>alert\(1\)<\/script>/.test(body)) problems.push(`${url}: echoes the raw <script>`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
});

/** A protocol request and what is acceptable: a 4xx (our error page for browser-facing endpoints), or a redirect of the error to the client. */
type ProtoCase = {
  name: string;
  send: (base: string, req: APIRequestContext) => Promise<APIResponse>;
  /**
   * 'page': a 4xx with our error page (asked for with a browser's Accept header); 'json': a 4xx JSON
   * error; 'any4xx': any 4xx; 'redirect-error': 3xx to the registered redirect_uri with an error;
   * 'redirect-login': 3xx to a sign-in screen.
   */
  expect: ('page' | 'json' | 'any4xx' | 'redirect-error' | 'redirect-login')[];
  status?: number[];
};

/** What a browser sends: the browser-facing endpoints answer it with our HTML error page. */
const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const authorize = (params: Record<string, string>) => `/oauth2/authorize?${new URLSearchParams(params)}`;
const rpParams = {
  client_id: 'rp',
  redirect_uri: RP_REDIRECT_URI,
  response_type: 'code',
  scope: 'openid email',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
  state: 's1',
};

const PROTO: ProtoCase[] = [
  { name: 'authorize, no parameters', send: (b, r) => r.get(`${b}/oauth2/authorize`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  { name: 'authorize, unknown client_id', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, client_id: 'nope' })}`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  { name: 'authorize, client_id with NUL', send: (b, r) => r.get(`${b}/oauth2/authorize?client_id=rp%00&response_type=code`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  { name: 'authorize, client_id twice', send: (b, r) => r.get(`${b}/oauth2/authorize?client_id=rp&client_id=demo&response_type=code`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  { name: 'authorize, unregistered redirect_uri', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, redirect_uri: 'https://evil.example/cb' })}`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  { name: 'authorize, redirect_uri not a URL', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, redirect_uri: 'javascript:alert(1)' })}`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  // state is opaque to the server and has no limit in the spec: a 10k state may go on to sign-in.
  { name: 'authorize, 10,000-char state', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, state: 's'.repeat(10_000) })}`, { headers: html, maxRedirects: 0 }), expect: ['redirect-login', 'redirect-error', 'page'] },
  { name: 'authorize, response_type=token', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, response_type: 'token' })}`, { headers: html, maxRedirects: 0 }), expect: ['redirect-error', 'page'] },
  { name: 'authorize, response_type garbage', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, response_type: '<x>' })}`, { headers: html, maxRedirects: 0 }), expect: ['redirect-error', 'page'] },
  { name: 'authorize, scope without openid', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, scope: 'nonsense' })}`, { headers: html, maxRedirects: 0 }), expect: ['redirect-error', 'page'] },
  { name: 'authorize, scope garbage', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, scope: 'openid <script>' })}`, { headers: html, maxRedirects: 0 }), expect: ['redirect-error', 'page', 'redirect-login'] },
  { name: 'authorize, no PKCE', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, code_challenge: '', code_challenge_method: '' })}`, { headers: html, maxRedirects: 0 }), expect: ['redirect-error', 'page'] },
  { name: 'authorize, ui_locales garbage', send: (b, r) => r.get(`${b}${authorize({ ...rpParams, ui_locales: '<script>' })}`, { headers: html, maxRedirects: 0 }), expect: ['redirect-login', 'redirect-error', 'page'] },
  { name: 'token, garbage form body', send: (b, r) => r.post(`${b}/oauth2/token`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: 'grant_type=%%%&&==&code=\u0000' }), expect: ['json'] },
  { name: 'token, wrong content type', send: (b, r) => r.post(`${b}/oauth2/token`, { headers: { 'content-type': 'text/plain' }, data: 'grant_type=authorization_code&code=x' }), expect: ['json'] },
  { name: 'token, JSON body', send: (b, r) => r.post(`${b}/oauth2/token`, { data: { grant_type: 'authorization_code', code: 'x' } }), expect: ['json'] },
  { name: 'token, 1 MB body', send: (b, r) => r.post(`${b}/oauth2/token`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: `grant_type=authorization_code&code=${'x'.repeat(1_000_000)}` }), expect: ['json'], status: [400, 401, 413] },
  { name: 'token, bad client credentials', send: (b, r) => r.post(`${b}/oauth2/token`, { form: { grant_type: 'authorization_code', code: 'x', client_id: 'rp', client_secret: 'wrong', redirect_uri: RP_REDIRECT_URI } }), expect: ['json'] },
  { name: 'token, GET', send: (b, r) => r.get(`${b}/oauth2/token`, { maxRedirects: 0 }), expect: ['any4xx'] },
  { name: 'userInfo, garbage bearer', send: (b, r) => r.get(`${b}/oauth2/userInfo`, { headers: { authorization: 'Bearer garbage.garbage.garbage' } }), expect: ['json'], status: [401] },
  { name: 'userInfo, 10k bearer', send: (b, r) => r.get(`${b}/oauth2/userInfo`, { headers: { authorization: `Bearer ${'a'.repeat(10_000)}` } }), expect: ['json'], status: [401] },
  { name: 'userInfo, not a bearer', send: (b, r) => r.get(`${b}/oauth2/userInfo`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } }), expect: ['json'], status: [401] },
  { name: 'userInfo, forged alg=none token', send: (b, r) => r.get(`${b}/oauth2/userInfo`, { headers: { authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.` } }), expect: ['json'], status: [401] },
  { name: 'revoke, garbage', send: (b, r) => r.post(`${b}/oauth2/revoke`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: 'token=%%%' }), expect: ['json'] },
  { name: 'logout, id_token_hint garbage', send: (b, r) => r.get(`${b}/logout?id_token_hint=garbage`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  { name: 'logout, post_logout_redirect_uri unregistered', send: (b, r) => r.get(`${b}/logout?client_id=rp&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`, { headers: html, maxRedirects: 0 }), expect: ['page'] },
  { name: 'logout/confirm, garbage xsrf', send: (b, r) => r.post(`${b}/logout/confirm`, { headers: html, form: { xsrf: '!!', logout: 'yes' }, maxRedirects: 0 }), expect: ['page'] },
];

test('protocol endpoints with bad input: never a 5xx, a 4xx (or the error sent back to the client)', async ({ request, foyer }) => {
  test.setTimeout(90_000);
  const problems: string[] = [];
  const seen: string[] = [];
  for (const c of PROTO) {
    let res: APIResponse;
    try {
      res = await c.send(foyer.url, request);
    } catch (e) {
      problems.push(`${c.name}: request failed: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    const status = res.status();
    const location = res.headers()['location'] ?? '';
    const type = res.headers()['content-type'] ?? '';
    const body = await res.text();
    seen.push(`${c.name}: ${status}${location ? ` → ${location.slice(0, 90)}` : ''}`);
    if (status >= 500) {
      problems.push(`${c.name}: ${status} ${body.slice(0, 120)}`);
      continue;
    }
    const kinds: string[] = [];
    if (status >= 400 && status < 500) kinds.push('any4xx');
    if (status >= 400 && status < 500 && body.includes('data-testid="error-page"')) kinds.push('page');
    if (status >= 400 && status < 500 && /json/.test(type) && typeof (JSON.parse(body) as { error?: unknown }).error === 'string') kinds.push('json');
    if (status >= 300 && status < 400) {
      const to = new URL(location, foyer.url);
      const registered = [RP_REDIRECT_URI, PARTNER_REDIRECT_URI, `${foyer.url}/api/demo/callback`];
      // The error rides in the query (response_mode=query) or the fragment (response_type=token implies fragment).
      const error = to.searchParams.get('error') ?? new URLSearchParams(to.hash.slice(1)).get('error');
      if (registered.some((u) => `${to.origin}${to.pathname}` === u) && error) kinds.push('redirect-error');
      if (to.origin === foyer.url && /^\/(en|ar)\/(login|signup)$/.test(to.pathname) && to.searchParams.get('uid')) kinds.push('redirect-login');
    }
    if (!kinds.some((k) => c.expect.includes(k as never))) problems.push(`${c.name}: ${status} ${location || type}, expected one of ${c.expect.join('/')}; got ${body.slice(0, 120)}`);
    if (c.status && !c.status.includes(status)) problems.push(`${c.name}: ${status}, expected ${c.status.join(' or ')}`);
  }
  console.log(seen.join('\n'));
  expect(problems).toEqual([]);
});

test('Cognito entry points with bad parameters: /login?client_id=nope ends on the error page with a 4xx', async ({ page, foyer }) => {
  const w = watch(page);
  await page.goto(`${foyer.url}/login?client_id=nope&response_type=code&redirect_uri=${encodeURIComponent(RP_REDIRECT_URI)}`);
  expect(w.seen[0].status, 'the entry point redirects to the authorization endpoint').toBe(302);
  const last = w.seen[w.seen.length - 1];
  expect(last.status).toBeGreaterThanOrEqual(400);
  expect(last.status).toBeLessThan(500);
  await expect(page.getByTestId('error-page')).toBeVisible();
  await expect(page.getByTestId('error-page')).toHaveAttribute('data-code', 'invalid_client');
  for (const entry of ['/login', '/signup?client_id=%00', '/forgotPassword?client_id=rp&redirect_uri=x', '/confirmUser?client_id=a&client_id=b', '/oauth2/login?client_id=%3Cscript%3E&response_type=token']) {
    await page.goto(`${foyer.url}${entry}`);
    expect(w.fivexx(), `${entry}: no 5xx`).toEqual([]);
    expect(w.seen[w.seen.length - 1].status, `${entry}: a 4xx in the end`).toBeGreaterThanOrEqual(400);
  }
  expect(w.fivexx()).toEqual([]);
});

test('a page posted without a server action, or with a broken one, is not a 5xx', async ({ request, foyer }) => {
  const problems: string[] = [];
  const sends: [string, () => Promise<APIResponse>][] = [
    ['urlencoded garbage to /en/login', () => request.post(`${foyer.url}/en/login?uid=AAAAAAAAAAAAAAAAAAAAAAAA`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: 'a=%%%&b', maxRedirects: 0 })],
    ['multipart with an unknown action id', () => request.post(`${foyer.url}/en/login?uid=AAAAAAAAAAAAAAAAAAAAAAAA`, { multipart: { $ACTION_ID_0000000000000000000000000000000000000000: '', uid: 'x' }, maxRedirects: 0 })],
    ['fetch action with an unknown id', () => request.post(`${foyer.url}/en/login?uid=AAAAAAAAAAAAAAAAAAAAAAAA`, { headers: { 'next-action': '0000000000000000000000000000000000000000', 'content-type': 'text/plain' }, data: '[]', maxRedirects: 0 })],
    ['a forged $ACTION_REF form', () => request.post(`${foyer.url}/en/login?uid=AAAAAAAAAAAAAAAAAAAAAAAA`, { multipart: { $ACTION_REF_1: '', '$ACTION_1:0': '{"id":"nope","bound":"$@1"}', '$ACTION_1:1': '[{}]', $ACTION_KEY: 'k' }, maxRedirects: 0 })],
  ];
  for (const [name, send] of sends) {
    const res = await send();
    if (res.status() >= 500) problems.push(`${name}: ${res.status()}`);
  }
  expect(problems).toEqual([]);
});

test.afterEach(async ({ foyer }, testInfo) => {
  // Each 5xx leaves a trace in the server's output: attach the relevant lines to failures.
  if (testInfo.status !== testInfo.expectedStatus) {
    const lines = foyer.logs().split('\n').filter((l) => /error|Error|exceeded/.test(l)).slice(-40);
    if (lines.length) await testInfo.attach('server-errors.txt', { body: lines.join('\n'), contentType: 'text/plain' });
  }
});
