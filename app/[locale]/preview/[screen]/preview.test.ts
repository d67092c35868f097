import { createElement } from 'react';
import { renderToReadableStream } from 'react-dom/server';
import { createFormatter, createTranslator } from 'next-intl';
import { expect, it, vi } from 'vitest';
import ar from '@/messages/ar.json';
import de from '@/messages/de.json';
import en from '@/messages/en.json';
import type { Locale } from '@/i18n/locales';
import { parseSeed } from '@/server/config/seed';
import { applySeedIfEmpty } from '@/server/pool-config/apply';
import { createPool } from '@/server/pool';
import { queueMail, queueSms } from '@/server/pool/messages';
import { describeEachDb } from '@/server/testing/databases';
import { testOutbox } from '@/server/testing/outbox';
import type { PreviewRequest, PreviewScreen } from '@/app/_lib/preview';

/**
 * The theme editor's preview route, rendered on the server for every screen it lists: each one
 * renders from its real page with sample data in the previewed theme, reads no cookie (so no
 * signed-in browser's account can show through), and shows nothing of the pool's real users.
 * Only what a request supplies is stood in for: the preview the proxy's headers name, cookies,
 * next-intl's request-bound translator.
 */
const request = vi.hoisted(() => ({ preview: undefined as PreviewRequest | undefined, rt: undefined as unknown, cookiesRead: [] as string[] }));

vi.mock('next-intl/server', () => ({
  getTranslations: async ({ locale, namespace }: { locale: Locale; namespace?: string }) =>
    createTranslator({ locale, messages: locale === 'ar' ? ar : en, namespace } as Parameters<typeof createTranslator>[0]),
  getFormatter: async ({ locale }: { locale: Locale }) => createFormatter({ locale, timeZone: 'UTC' }),
}));
vi.mock('next/headers', () => ({
  headers: async () => new Headers(),
  cookies: async () => ({
    get: (name: string) => {
      request.cookiesRead.push(name);
      return undefined;
    },
    has: (name: string) => {
      request.cookiesRead.push(name);
      return false;
    },
  }),
}));
vi.mock('@/server/runtime-handle', () => ({ runtime: async () => request.rt }));
vi.mock('@/app/_lib/preview', async (original) => ({ ...(await original<object>()), previewRequest: async () => request.preview }));
vi.mock('@/app/_lib/theme', () => ({
  currentAppliedTheme: async () => request.preview!.applied,
  currentTheme: async () => request.preview!.applied.theme,
}));

const BRAND = '#0b5d1e';
const TOKEN = `${'a'.repeat(20)}.${'b'.repeat(43)}`;

describeEachDb('preview screens', (open) => {
  async function setup() {
    const db = await open();
    const now = Date.UTC(2030, 0, 1, 12, 0, 0);
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { name: 'Preview Pool', theme: 'brand', mfa: { mode: 'OPTIONAL', factors: ['totp', 'email', 'sms', 'webauthn'], remember_device_days: 30 } },
        themes: [{ id: 'brand', name: 'Brand', colors: { light: { brand: BRAND } } }],
        users: [{ username: 'realperson', email: 'real.person@example.org', email_verified: true, password: 'violet tractor under seven lanterns' }],
      }),
      now,
    );
    const outbox = testOutbox(db.kysely, { now: () => now });
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => now });
    request.rt = { pool, themes: pool.themes, env: { publicUrl: 'http://localhost:3000' }, federation: { providers: { list: async () => [] } }, outboxVisibleTo: () => true };
    return { pool, outbox };
  }

  async function render(locale: Locale, screen: PreviewScreen, state: PreviewRequest['state'] = 'filled', token = TOKEN): Promise<string> {
    const { pool } = request.rt as { pool: ReturnType<typeof createPool> };
    request.preview = { screen, state, applied: await pool.themes.forClient(null), token };
    request.cookiesRead = [];
    const { default: PreviewPage } = await import('./page');
    const props = { params: Promise.resolve({ locale, screen }), searchParams: Promise.resolve({ preview: token, state }) };
    const stream = await renderToReadableStream(createElement(PreviewPage, props));
    await stream.allReady;
    return new Response(stream).text();
  }

  it('renders every screen the editor lists beside the sign-in flow from sample data, reading no cookie and showing no real user', async () => {
    await setup();
    const { previewScreens, previewSteps } = await import('@/app/_lib/preview');
    // The sign-in screens are rendered in every state by e2e/theme-editor.spec.ts.
    const others = previewScreens.filter((s) => !Object.hasOwn(previewSteps, s));
    expect(others.length).toBeGreaterThan(30);
    for (const screen of others) {
      const html = await render('en', screen);
      expect(html, screen).toMatch(/<h1[^>]*>[^<]+<\/h1>/);
      expect(request.cookiesRead, screen).toEqual([]);
      expect(html, screen).not.toMatch(/realperson|real\.person/);
    }
  }, 180_000);

  it('lists an e-mail screen for every e-mail the catalogue has, and renders it in the previewed theme', async () => {
    const { pool } = await setup();
    const { previewMessage, previewScreens } = await import('@/app/_lib/preview');
    const kinds = Object.entries(en.email).flatMap(([kind, v]) => (typeof v === 'object' && 'subject' in v ? [kind] : []));
    const shown = new Set(previewScreens.map((s) => previewMessage(s)).flatMap((m) => (m?.channel === 'email' ? [m.template.kind] : [])));
    expect([...shown].sort()).toEqual(kinds.sort());
    const theme = await pool.themes.forClient(null);
    for (const screen of previewScreens) {
      const m = previewMessage(screen);
      if (m?.channel !== 'email') continue;
      const mail = await pool.messagePreview.mail({ to: 'x@example.com', template: m.template, locale: 'ar', theme });
      expect(mail.subject, screen).toContain('Preview Pool');
      // Every placeholder filled (an ICU argument left over would show as braces).
      expect(mail.text, screen).not.toMatch(/[{}]/);
      expect(mail.html, screen).toContain(`border-top:4px solid ${BRAND}`);
      expect(mail.html, screen).toContain('dir="rtl"');
    }
  });

  it('shows an e-mail’s subject and text, its HTML part in a sandboxed frame; a text message’s body', async () => {
    await setup();
    const mail = await render('en', 'email-confirmSignUp');
    expect(mail).toContain('Your Preview Pool confirmation code: 123456');
    expect(mail).toMatch(new RegExp(`<iframe[^>]*src="/en/preview/email-confirmSignUp/mail\\?preview=${TOKEN}"[^>]*sandbox=""`));
    expect(mail).toContain('Welcome to Preview Pool.');
    const security = await render('ar', 'email-security-totp_added');
    expect(security).toContain('Preview Pool');
    const sms = await render('en', 'sms-mfaCode');
    expect(sms).toMatch(/data-testid="preview-sms"[^>]*>123456 is your Preview Pool sign-in code/);
  });

  it('shows an e-mail’s and a text’s unsaved custom text (the custom-text editor’s preview) in its locale only, never in a sent message', async () => {
    const { pool, outbox } = await setup();
    const made = await pool.admin.customText.preview({
      locale: 'de',
      texts: { 'email.confirmSignUp.subject': 'Vorschau {pool}: {code}', 'email.confirmSignUp.body': 'Vorschau-Text {pool} {code} ({minutes})', 'sms.mfaCode': 'Vorschau-SMS {code} {pool} {minutes, plural, one {# Minute} other {# Minuten}}' },
    });
    if ('error' in made) throw new Error(JSON.stringify(made));
    const mail = await render('de', 'email-confirmSignUp', 'filled', made.token);
    expect(mail).toMatch(/data-testid="preview-mail-subject"[^>]*>Vorschau Preview Pool: 123456</);
    expect(mail).toMatch(/data-testid="preview-mail-text"[^>]*>Vorschau-Text Preview Pool 123456 \(15\)</);
    const theme = await pool.themes.forClient(null);
    const template = { kind: 'confirmSignUp', code: '123456', minutes: 15 } as const;
    // The HTML part (./mail/route.ts renders it so) has the unsaved text too.
    expect((await pool.messagePreview.mail({ to: '', template, locale: 'de', theme, token: made.token })).html).toContain('Vorschau-Text Preview Pool 123456');
    expect(await render('de', 'sms-mfaCode', 'filled', made.token)).toMatch(/data-testid="preview-sms"[^>]*>Vorschau-SMS 123456 Preview Pool 5 Minuten</);
    // Another locale, a token without text, or no token: the catalogue's words.
    expect((await pool.messagePreview.mail({ to: '', template, locale: 'fr', theme, token: made.token })).subject).not.toContain('Vorschau');
    expect((await pool.messagePreview.mail({ to: '', template, locale: 'de', theme, token: pool.admin.themes.previewToken({ id: 'brand', draft: false }).token })).subject).not.toContain('Vorschau');
    expect((await pool.messagePreview.sms({ to: '', template: { kind: 'mfaCode', code: '1', minutes: 5 }, locale: 'de' })).body).not.toContain('Vorschau');
    // A message really sent in German meanwhile has the catalogue's words.
    await queueMail(pool.ctx, 'neu@example.org', template, 'de');
    await queueSms(pool.ctx, '+447700900123', { kind: 'mfaCode', code: '1', minutes: 5 }, 'de');
    await outbox.deliver();
    expect(outbox.mails.map((m) => m.subject)).toEqual([de.email.confirmSignUp.subject.replace('{pool}', 'Preview Pool').replace('{code}', '123456')]);
    expect(outbox.texts[0].body).not.toContain('Vorschau');
  });

  it('shows the pages beside the flow that a real request would fill (a sign-out to confirm, a mailed link opened, a federated failure) from sample data alone', async () => {
    await setup();
    // The runtime here has no provider: a page that read a real interaction or link would throw.
    const logout = await render('ar', 'logout');
    expect(logout).toContain(ar.preview.appName);
    expect(logout).toContain('data-testid="confirm-logout"');
    const link = await render('en', 'magic-link', 'loading');
    expect(link).toMatch(/<form[^>]*data-testid="magic-link-form"[^>]*aria-busy="true"/);
    expect(link).toMatch(/<button[^>]*disabled=""[^>]*data-testid="use-link"/);
    const failed = await render('en', 'federation-error');
    expect(failed).toContain(en.federation.errors.denied);
    expect(failed).toContain('href="/en/login?uid=preview"');
    expect(request.cookiesRead).toEqual([]);
  });

  it('shows the account pages with the sample user, a code pending where a screen says so, and the sample error on one form', async () => {
    await setup();
    const home = await render('en', 'account');
    expect(home).toContain(en.preview.samples.text);
    for (const part of ['factor-totp', 'factor-email', 'factor-sms', 'passkey', 'identity', 'device', 'session']) expect(home, part).toContain(`data-testid="${part}"`);
    expect((await render('en', 'account', 'error')).match(/foyer-error-summary/g)).toHaveLength(1);
    expect(await render('en', 'account-email-code')).toContain('ana.new@example.com');
    expect(await render('en', 'account-email')).toContain('data-testid="change-email-form"');
    expect(await render('en', 'account-phone-code')).toContain('data-testid="confirm-phone-form"');
    expect(await render('en', 'account-recovery-codes')).toContain('7K3D-9QXM');
    expect(await render('ar', 'account-totp')).toMatch(/data-testid="totp-secret">JBSW Y3DP EHPK 3PXP</);
    const consent = await render('ar', 'consent');
    expect(consent).toContain(ar.preview.appName);
    expect(consent).toContain(ar.consent.scopes.email);
  });
});
