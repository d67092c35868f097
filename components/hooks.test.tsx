import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resolvedBuiltIns, resolveOver } from '@/themes/built-in';
import { builtInTheme } from '@/themes/css';
import { cognitoHooks, foyerHooks } from '@/themes/hooks';
import { inlineAssets } from '@/themes/inline-assets';
import { resolvedTheme, type ResolvedTheme } from '@/themes/schema';
import { Alert } from './Alert';
import { FlowForm } from './FlowForm';
import { PageFrame } from './PageFrame';
import { PasskeyButton } from './passkeys/PasskeyCeremony';
import { Divider, ProviderButtons } from './ProviderButtons';
import { RecoveryCodeList } from './RecoveryCodeList';
import { SubSection } from './SubSection';
import { TextLink } from './TextLink';
import { intlServerMock, render } from './testing';
import { TotpSetup } from './TotpSetup';

vi.mock('next-intl/server', async () => (await import('./testing')).intlServerMock);
void intlServerMock;

const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HqQRAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
const themes = resolvedBuiltIns().map((t) => inlineAssets(t, path.resolve('themes')));
const branded = (t: ResolvedTheme, layout: ResolvedTheme['layout']): ResolvedTheme =>
  resolvedTheme.parse({
    ...t,
    layout,
    logo: { light: pixel, dark: pixel.replace('YAAjCB', 'YAAjCC'), alt: 'Acme', height: 40 },
    favicon: pixel,
    links: { terms: { default: 'https://acme.example/terms', ar: 'https://acme.example/ar/terms' }, privacy: { default: 'https://acme.example/privacy' } },
  });

/** A screen with every shared component on it, in a theme. */
async function screen(theme: ResolvedTheme, locale: 'en' | 'ar' = 'en') {
  const action = async () => ({});
  const content = (
    <>
      <Alert tone="error">wrong</Alert>
      <Alert tone="notice">sent</Alert>
      <ProviderButtons description="corporate" buttons={[{ name: 'acme', label: 'Acme', href: '/go', logo: '/idp-logos/oidc.svg' }]} />
      <Divider label="or" />
      <FlowForm
        action={action}
        hidden={{ uid: 'u' }}
        fields={[
          { name: 'email', label: 'E-mail', type: 'email', autoComplete: 'email', hint: 'yours' },
          { name: 'code', label: 'Code', type: 'text', autoComplete: 'one-time-code' },
          { name: 'remember', label: 'Remember', type: 'checkbox', autoComplete: 'off' },
        ]}
        buttons={[{ label: 'Go' }, { label: 'Other', variant: 'secondary' }]}
      />
      <PasskeyButton onClick={() => undefined} working={false} testId="passkey">
        Passkey
      </PasskeyButton>
      <SubSection id="s" heading="More">
        <TextLink href="/x">elsewhere</TextLink>
        {await TotpSetup({ locale, secret: 'JBSWY3DPEHPK3PXP', uri: 'otpauth://totp/Foyer:a?secret=JBSWY3DPEHPK3PXP' })}
        {await RecoveryCodeList({ locale, codes: ['aaaa-bbbb', 'cccc-dddd'], poolName: 'Foyer' })}
      </SubSection>
    </>
  );
  return render(await PageFrame({ locale, theme, appName: 'Acme app', path: '/login', heading: 'Sign in', subheading: 'to Acme', children: content }));
}

describe('customisation hooks', () => {
  it('puts every documented hook on some element, across the layouts', async () => {
    const seen = new Set<string>();
    for (const layout of ['card', 'split', 'full'] as const) for (const c of (await screen(branded(themes[3], layout))).classes) seen.add(c);
    const missing = [...cognitoHooks, ...foyerHooks].filter((h) => !seen.has(h));
    expect(missing).toEqual([]);
  });

  it('names each hook once, Cognito-style or foyer-', () => {
    const all = [...cognitoHooks, ...foyerHooks];
    expect(new Set(all).size).toBe(all.length);
    for (const h of cognitoHooks) expect(h).toMatch(/^[a-zA-Z]+-customizable$/);
    for (const h of foyerHooks) expect(h).toMatch(/^foyer-[a-z-]+$/);
  });
});

describe('layouts', () => {
  for (const theme of themes)
    for (const layout of ['card', 'split', 'full'] as const) {
      it(`${theme.id} in the ${layout} layout`, async () => {
        const { html, classes } = await screen({ ...theme, layout });
        expect(html).toMatch(new RegExp(`<div class="foyer-root foyer-layout-${layout} background-customizable`));
        expect(classes.has(`foyer-layout-${layout}`)).toBe(true);
        for (const other of ['card', 'split', 'full'].filter((l) => l !== layout)) expect(classes.has(`foyer-layout-${other}`)).toBe(false);
        expect(html.match(/<main id="main" class="foyer-card /g)).toHaveLength(1);
        // The side image shows in the split layout only, as decoration.
        const side = html.match(/<img[^>]*foyer-side-image[^>]*>/g) ?? [];
        expect(side).toHaveLength(layout === 'split' && theme.sideImage ? 1 : 0);
        for (const img of side) expect(img).toMatch(/alt="" aria-hidden="true"/);
        // CSP allows no style attributes.
        expect(html).not.toMatch(/\sstyle=/);
        expect(html.includes('foyer-powered-by')).toBe(theme.showPoweredBy);
      });
    }

  it('shows the split theme with its own image', () => {
    expect(themes.find((t) => t.id === 'split')?.sideImage).toMatch(/^data:image\/svg\+xml;base64,/);
  });
});

describe('logo, app name, favicon and footer', () => {
  it('shows the logo with its alt text (dark variant by prefers-color-scheme), the app name and the favicon', async () => {
    const { html } = await screen(branded(builtInTheme, 'card'));
    expect(html).toMatch(/<picture><source srcSet="data:[^"]+" media="\(prefers-color-scheme: dark\)"\/><img src="data:[^"]+" alt="Acme" height="40" class="logo-customizable"\/><\/picture>/);
    expect(html).toContain('<p class="foyer-app-name font-semibold">Acme app</p>');
    expect(html).toMatch(/<link rel="icon" href="data:image\/png;base64,/);
  });

  it('uses the dark logo alone when the theme is dark, and no logo when it has none', async () => {
    const dark = branded({ ...builtInTheme, mode: 'dark' }, 'card');
    const { html } = await screen(dark);
    expect(html).not.toContain('<picture>');
    expect(html).toContain(`<img src="${dark.logo?.dark}" alt="Acme"`);
    expect((await screen(builtInTheme)).html).not.toContain('logo-customizable');
  });

  it("links the locale's terms (else the default ones) with translated words, and says powered by Foyer", async () => {
    const en = (await screen(branded(builtInTheme, 'card'), 'en')).html;
    expect(en).toContain('<a href="https://acme.example/terms" class="foyer-footer-link text-link underline underline-offset-2" rel="noopener">Terms of use</a>');
    expect(en).toContain('>Privacy</a>');
    expect(en).not.toContain('>Help</a>');
    expect(en).toContain('<nav aria-label="Legal and help">');
    expect(en).toContain('Powered by Foyer');
    const ar = (await screen(branded(builtInTheme, 'card'), 'ar')).html;
    expect(ar).toContain('<a href="https://acme.example/ar/terms" class="foyer-footer-link text-link underline underline-offset-2" rel="noopener">شروط الاستخدام</a>');
    expect(ar).toContain('>الخصوصية</a>');
  });

  it('has no footer when the theme has no links and hides the powered-by line', async () => {
    const { html } = await screen(resolveOver(builtInTheme, { id: 'bare', name: 'Bare', showPoweredBy: false }));
    expect(html).not.toContain('<footer');
  });
});
