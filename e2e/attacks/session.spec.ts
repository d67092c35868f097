import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, ALICE } from '../fixtures/foyer';
import { signInForCode, SPA } from '../fixtures/attack';
import { authorizeEntry, FlowBrowser, openScreen } from '../fixtures/http-flow';

/**
 * Login CSRF (an attacker's page signs the victim into the attacker's account) and session
 * fixation (a session id the attacker knows survives the victim's sign-in).
 */

test('login CSRF: the sign-in form posted from another origin, or with another browser’s token, signs no one in', async ({ foyer }) => {
  // The attacker's own sign-in screen: a real uid and CSRF token, but theirs.
  const attacker = new FlowBrowser({ issuer: foyer.url });
  const page = await openScreen(attacker, SPA, 'login');
  const [target, fields] = attacker.fill(page, 'login-form', { identifier: ALICE.username, password: ALICE.password });

  const victim = new FlowBrowser({ issuer: foyer.url });
  await openScreen(victim, SPA, 'login');
  const { headers, body } = victim.draft('POST', target, fields);
  const sessionsBefore = victim.jar.get('foyer.session');
  for (const origin of ['http://evil.example', 'null', undefined]) {
    const h = { ...headers };
    if (origin === undefined) delete h.origin;
    else h.origin = origin;
    const a = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const u = new URL(foyer.origin);
      const r = http.request({ host: u.hostname, port: Number(u.port), method: 'POST', path: target, headers: h, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res));
      });
      r.on('error', reject);
      r.end(body);
    });
    expect(a.statusCode, `Origin ${origin}`).toBeGreaterThanOrEqual(400);
    expect(a.statusCode).toBeLessThan(500);
    expect((a.headers['set-cookie'] ?? []).filter((c) => c.startsWith('foyer.session=')), `Origin ${origin}`).toEqual([]);
    expect(a.headers.location ?? '').not.toContain(SPA.redirectUri);
  }
  expect(victim.jar.get('foyer.session')).toBe(sessionsBefore);
});

test('login CSRF in a browser: an auto-submitting form on another site does not sign the victim in', async ({ foyer, browser }) => {
  const attacker = new FlowBrowser({ issuer: foyer.url });
  const page = await openScreen(attacker, SPA, 'login');
  const [target, fields] = attacker.fill(page, 'login-form', { identifier: ALICE.username, password: ALICE.password });
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const html = `<!doctype html><form method="post" enctype="multipart/form-data" action="${esc(foyer.url + target)}">${fields
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('')}</form><script>document.forms[0].submit()</script>`;
  // Another site: localhost is not 127.0.0.1.
  const evil = http.createServer((_req, res) => res.end(html));
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const posted = tab.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(foyer.url));
    await tab.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
    const answer = await posted;
    expect(answer.status()).toBe(403);
    const cookies = await context.cookies(foyer.url);
    expect(cookies.map((c) => c.name)).not.toContain('foyer.session');
    // And the victim is not signed in: an authorization request asks for a password.
    await tab.goto(`${foyer.url}${authorizeEntry(SPA, 'login').url}`);
    await expect(tab.getByTestId('login-form')).toBeVisible();
    await context.close();
  } finally {
    evil.close();
  }
});

test('session fixation: the session cookie at sign-in is a new one, whatever the browser had', async ({ foyer }) => {
  // A session the attacker has (an earlier sign-in of theirs), and one they simply make up.
  const { browser: attackerBrowser } = await signInForCode(foyer);
  const attackers = attackerBrowser.jar.get('foyer.session');
  expect(attackers).toBeTruthy();
  for (const planted of [`foyer.session=${attackers}; Path=/`, 'foyer.session=fixated-by-attacker; Path=/']) {
    const victim = new FlowBrowser({ issuer: foyer.url });
    victim.jar.store([planted], '/');
    const page = await victim.open(authorizeEntry(SPA, 'login').url);
    const before = victim.jar.get('foyer.session');
    if (/data-testid="login-form"/.test(page.body)) {
      const posted = await victim.submit(page, 'login-form', { identifier: ALICE.username, password: ALICE.password });
      if (posted.location) await victim.open(posted.location);
    }
    const after = victim.jar.get('foyer.session');
    expect(after, 'a session after sign-in').toBeTruthy();
    expect(after).not.toBe(before);
    expect(after).not.toBe(attackers);
    expect(after).not.toBe('fixated-by-attacker');
  }
});
