import type { ServerResponse } from 'node:http';
import { expect, it } from 'vitest';
import type { PageBrand } from '../../themes/page-brand';
import { sendPostPage } from './post-page';

/** Just enough of a ServerResponse to read what the page sends. */
function fakeResponse() {
  const headers: Record<string, string> = {};
  const sent = { status: 0, body: '', headers };
  const res = {
    set statusCode(v: number) {
      sent.status = v;
    },
    setHeader: (k: string, v: string) => void (headers[k.toLowerCase()] = v),
    end: (body: string) => void (sent.body = body),
  } as unknown as ServerResponse;
  return { res, sent };
}

const brand: PageBrand = {
  stylesheet: '/themes/0123456789abcdef0123456789abcdef.css',
  layout: 'split',
  logo: { light: '/assets/t/aa.svg', dark: '/assets/t/bb.svg', alt: 'Acme "Corp"', height: 40, mode: 'auto' },
  favicon: null,
  appName: 'Acme <Shop>',
};

it('posts the fields by a script its CSP allows by nonce, with a translated Continue button for no script', () => {
  const { res, sent } = fakeResponse();
  sendPostPage(res, { url: 'https://idp.example/sso?a=1&b="2"', fields: { SAMLRequest: 'PHg+"<&', RelayState: 'r' } }, { locale: 'ar', purpose: 'signIn', brand });
  expect(sent.status).toBe(200);
  const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(sent.headers['content-security-policy'])?.[1];
  expect(nonce).toBeTruthy();
  expect(sent.headers['content-security-policy']).toContain("default-src 'none'");
  expect(sent.body).toContain(`<script nonce="${nonce}">document.forms[0].submit();</script>`);
  expect(sent.body).toContain('<html lang="ar" dir="rtl">');
  expect(sent.body).toContain('action="https://idp.example/sso?a=1&amp;b=&quot;2&quot;"');
  expect(sent.body).toContain('<input type="hidden" name="SAMLRequest" value="PHg+&quot;&lt;&amp;">');
  expect(sent.body).toContain('<button type="submit" class="submitButton-customizable">متابعة</button>');
  expect(sent.headers['cache-control']).toBe('no-store');
});

it("wears the app's theme: its stylesheet (allowed by the CSP, no inline style), logo with alt, the app's name, the hooks", () => {
  const { res, sent } = fakeResponse();
  sendPostPage(res, { url: 'https://sp.example/slo', fields: { SAMLResponse: 'x' } }, { locale: 'en', purpose: 'signOut', brand });
  const csp = sent.headers['content-security-policy'];
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(sent.body).toContain('<link rel="stylesheet" href="/themes/0123456789abcdef0123456789abcdef.css">');
  expect(sent.body).toContain('<body class="foyer-root foyer-layout-split foyer-standalone background-customizable">');
  expect(sent.body).toContain('<picture><source srcset="/assets/t/bb.svg" media="(prefers-color-scheme: dark)"><img src="/assets/t/aa.svg" alt="Acme &quot;Corp&quot;" height="40" class="logo-customizable"></picture>');
  expect(sent.body).toContain('<p class="foyer-app-name">Acme &lt;Shop&gt;</p>');
  for (const hook of ['banner-customizable', 'foyer-card', 'foyer-title', 'textDescription-customizable', 'foyer-form']) expect(sent.body).toContain(`class="${hook}"`);
  expect(sent.body).not.toMatch(/ style=|<style/);
});

it('shows neither banner nor icon for a theme without a logo and a page about no app', () => {
  const { res, sent } = fakeResponse();
  sendPostPage(res, { url: 'https://sp.example/slo', fields: {} }, { locale: 'en', purpose: 'signOut', brand: { ...brand, logo: null, appName: undefined } });
  expect(sent.body).not.toContain('banner-customizable');
  expect(sent.body).not.toContain('rel="icon"');
});
