import type { ServerResponse } from 'node:http';
import { expect, it } from 'vitest';
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

it('posts the fields by a script its CSP allows by nonce, with a translated Continue button for no script', () => {
  const { res, sent } = fakeResponse();
  sendPostPage(res, { url: 'https://idp.example/sso?a=1&b="2"', fields: { SAMLRequest: 'PHg+"<&', RelayState: 'r' } }, { locale: 'ar', purpose: 'signIn' });
  expect(sent.status).toBe(200);
  const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(sent.headers['content-security-policy'])?.[1];
  expect(nonce).toBeTruthy();
  expect(sent.headers['content-security-policy']).toContain("default-src 'none'");
  expect(sent.body).toContain(`<script nonce="${nonce}">document.forms[0].submit();</script>`);
  expect(sent.body).toContain('<html lang="ar" dir="rtl">');
  expect(sent.body).toContain('action="https://idp.example/sso?a=1&amp;b=&quot;2&quot;"');
  expect(sent.body).toContain('<input type="hidden" name="SAMLRequest" value="PHg+&quot;&lt;&amp;">');
  expect(sent.body).toContain('<button type="submit">متابعة</button>');
  expect(sent.headers['cache-control']).toBe('no-store');
});
