import { createElement, type ReactNode } from 'react';
import { renderToReadableStream } from 'react-dom/server';
import { createFormatter, createTranslator } from 'next-intl';
import { expect, it, vi } from 'vitest';
import ar from '@/messages/ar.json';
import en from '@/messages/en.json';
import type { Locale } from '@/i18n/locales';
import { parseSeed } from '@/server/config/seed';
import { applySeedIfEmpty } from '@/server/pool-config/apply';
import { createPool, type FlowStep } from '@/server/pool';
import { methods } from '@/server/pool/methods/registry';
import { describeEachDb } from '@/server/testing/databases';
import { FAKE_PIN_SECRET, fakePin } from '@/server/testing/fake-method';
import { testOutbox } from '@/server/testing/outbox';
import { builtInTheme } from '@/themes/css';

/**
 * The real MFA and account pages, rendered on the server (React's own renderer) against a pool
 * whose registry has one method more than the built-ins: the screens offer it with no change of
 * their own (the enrolment screens too: the fake's enrolment step is the authenticator app's). Only what a request would supply is stood in for: the loaded flow or account
 * session, and next-intl's request-bound translator.
 */
const loaded = vi.hoisted(() => ({ flow: null as unknown, account: null as unknown }));

vi.mock('next-intl/server', () => ({
  getTranslations: async ({ locale, namespace }: { locale: Locale; namespace?: string }) =>
    createTranslator({ locale, messages: locale === 'ar' ? ar : en, namespace } as Parameters<typeof createTranslator>[0]),
  getFormatter: async ({ locale }: { locale: Locale }) => createFormatter({ locale }),
}));
vi.mock('@/app/_lib/flow', async (original) => ({ ...(await original<object>()), loadFlowPage: async () => loaded.flow }));
vi.mock('@/app/_lib/theme', async () => {
  const { builtInTheme } = await import('@/themes/css');
  return { currentTheme: async () => builtInTheme };
});
vi.mock('@/app/_lib/account', async (original) => ({ ...(await original<object>()), loadAccountPage: async () => loaded.account }));

const PASSWORD = 'violet tractor under seven lanterns';
const props = { params: Promise.resolve({ locale: 'en' }), searchParams: Promise.resolve({ uid: 'flow-1' }) };

async function render(page: (p: typeof props) => Promise<ReactNode>): Promise<string> {
  const stream = await renderToReadableStream(createElement(page, props));
  await stream.allReady;
  return new Response(stream).text();
}

describeEachDb('the screens iterate the pool’s registry', (open) => {
  async function setup(factors: ('totp' | 'email' | 'sms' | 'webauthn')[] = ['email'], holdsPin = true) {
    const db = await open();
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    await applySeedIfEmpty(db, parseSeed({ pool: { mfa: { mode: 'REQUIRED', factors } }, users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD }] }), now);
    const alice = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely, { now: () => now }).link, secret: 'test-secret', now: () => now, methods: { ...methods, pin: fakePin(new Set(holdsPin ? [alice] : []), '4711') } });
    const rt = { pool, federation: { providers: { list: async () => [] } } };
    return { pool, rt, alice };
  }

  it('the MFA screen offers the registered method among the user’s others', async () => {
    const { pool, rt } = await setup();
    const r = await pool.signIn({ identifier: 'alice', password: PASSWORD, locale: 'en', ip: '203.0.113.9' });
    const step = 'next' in r ? (r.next as Extract<FlowStep, { step: 'mfa' }>) : null;
    expect(step?.methods).toEqual(['email', 'pin']);
    loaded.flow = { rt, view: { uid: 'flow-1' }, step, csrf: 'c', showOutbox: false, showSmsOutbox: false, settings: await pool.settings(), appName: 'Demo', theme: builtInTheme };
    const { default: MfaPage } = await import('./mfa/page');
    const html = await render(MfaPage);
    expect(html).toContain(en.mfaEmail.title);
    expect(html).toMatch(new RegExp(`<button[^>]*value="pin"[^>]*data-testid="use-pin"[^>]*>${en.methods.password.label}</button>`));
    // It stands in for a lost factor like the app does: the recovery-code form is there.
    expect(html).toContain('data-testid="recovery-code-form"');
  });

  it('the account page lists it, after the built-ins, on or off', async () => {
    const { pool, rt, alice } = await setup();
    const user = await pool.users.get({ id: alice });
    const session = { id: 's', userId: alice, grantId: 'g' };
    const { accountData } = await import('@/app/_lib/account');
    loaded.account = { rt, session, user, hidden: { csrf: 'c', locale: 'en' }, data: accountData(rt as never, session as never, user!, '203.0.113.9') };
    const { default: AccountPage } = await import('./account/page');
    const html = await render(AccountPage);
    const rows = [...html.matchAll(/data-testid="(factor-[a-z]+|recovery-codes-status)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['factor-email', 'recovery-codes-status', 'factor-pin']);
    expect(html).toMatch(new RegExp(`data-testid="factor-pin"><span>${en.methods.password.label}(<!-- -->)?: <bdi>${en.account.mfa.on}</bdi>`));
    // Its entry says how to remove it, so its row has the button.
    expect(html).toMatch(/<form[^>]*data-testid="remove-pin-form"[^]*<input type="hidden" name="kind" value="pin"\/>[^]*data-testid="remove-pin"/);
  });

  it('each enrolment screen offers the other methods the policy allows, the registered one last, through one form', async () => {
    const { pool, rt } = await setup(['totp', 'sms'], false);
    const r = await pool.signIn({ identifier: 'alice', password: PASSWORD, locale: 'en', ip: '203.0.113.9' });
    const app = 'next' in r && r.next.step === 'mfa-setup' ? r.next : null;
    expect(app).not.toBeNull();
    const { userId, amr } = app!;
    const pinLabel = en.mfaSetup.useInstead.replace('{method}', en.methods.password.label);
    const screens = [
      { page: () => import('./mfa/setup/page'), step: app, from: 'mfa-setup', offers: ['use-sms-setup', 'use-pin-setup'] },
      { page: () => import('./mfa/setup/sms/page'), step: { step: 'mfa-setup-sms', userId, amr, phone: null, destination: null }, from: 'mfa-setup-sms', offers: ['use-totp-setup', 'use-pin-setup'] },
      // The passkey screen is reached by hand here: the policy does not allow passkeys, so it offers both others.
      { page: () => import('./mfa/passkey/page'), step: { step: 'passkey-setup', userId, amr }, from: 'passkey-setup', offers: ['app-instead', 'use-sms-setup', 'use-pin-setup'] },
    ];
    for (const screen of screens) {
      loaded.flow = { rt, view: { uid: 'flow-1' }, step: screen.step, csrf: 'c', showOutbox: false, showSmsOutbox: false, settings: await pool.settings(), appName: 'Demo', theme: builtInTheme };
      const html = await render((await screen.page()).default);
      const form = html.match(/<form[^>]*data-testid="switch-enrolment-form"[^]*?<\/form>/)?.[0] ?? '';
      expect(form).toContain(`<input type="hidden" name="from" value="${screen.from}"/>`);
      expect([...form.matchAll(/data-testid="([a-z-]+)"/g)].map((m) => m[1]).filter((id) => id !== 'switch-enrolment-form')).toEqual(screen.offers);
      expect(form).toMatch(new RegExp(`<button[^>]*value="pin"[^>]*data-testid="use-pin-setup"[^>]*name="to"[^>]*>${pinLabel}</button>`));
    }
    // The offer moves the flow on to the method's own enrolment step.
    expect(await pool.mfa.switchEnrolment({ step: app!, to: 'pin' })).toEqual({ next: { step: 'mfa-setup', userId, amr, secret: FAKE_PIN_SECRET } });
  });
});
