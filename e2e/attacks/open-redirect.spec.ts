import { test, expect, ALICE, RP_REDIRECT_URI, type Foyer } from '../fixtures/foyer';
import { errorPageProblems } from '../fixtures/attack';
import { FlowBrowser, describeAnswer, type Answer } from '../fixtures/http-flow';
import { randomBytes } from 'node:crypto';

/**
 * Open redirects: every parameter that decides where Foyer sends a browser, with variants built
 * to slip past a prefix, host or scheme check. None may send the browser anywhere but Foyer
 * itself (its error page) or the exact registered URI.
 */

const EVIL = 'evil.example';

/** Variants of a registered absolute URI `reg` (http://127.0.0.1:9/rp/callback) that are not it. */
function absoluteVariants(reg: string): string[] {
  const u = new URL(reg);
  const hostPort = u.host;
  return [
    `https://${EVIL}`, `https://${EVIL}/rp/callback`, `//${EVIL}`, `///${EVIL}`, `/\\${EVIL}`, `\\\\${EVIL}`, `https:${EVIL}`, `https:/${EVIL}`,
    `http://${EVIL}@${hostPort}/rp/callback`, `http://${hostPort}@${EVIL}/rp/callback`, `${reg}@${EVIL}`, `http://${hostPort}.${EVIL}/rp/callback`,
    `${reg}.${EVIL}`, `${reg}/../../${EVIL}`, `${reg}/..%2f..%2f${EVIL}`, `${reg}?next=https://${EVIL}`, `${reg}#@${EVIL}`, `${reg}/`, `${reg}%2f`,
    `${reg}%00`, `${reg}%0d%0aLocation:%20https://${EVIL}`, reg.toUpperCase(), `${reg}?`, `${reg}#`, `https://${hostPort}/rp/callback`, `http://localhost:9/rp/callback`,
    `http://127.0.0.1:09/rp/callback`, `http://127.0.0.1:80/rp/callback`, `http://0x7f.0.0.1:9/rp/callback`, `http://2130706433:9/rp/callback`, `http://[::1]:9/rp/callback`,
    `https://${EVIL.replace('i', '\u0456')}`, `https://evil\u3002example`, `https://\uff45vil.example`, `https://${EVIL}\u2215rp`, `%2F%2F${EVIL}`, `%68ttps://${EVIL}`,
    `javascript:alert(document.domain)`, `data:text/html,<script>alert(1)</script>`, `vbscript:msgbox(1)`, ` //${EVIL}`, `\t//${EVIL}`, `/%09/${EVIL}`, `/${EVIL}`,
    `${EVIL}`, `..//${EVIL}`, `/.//${EVIL}`, `http:\\\\${EVIL}`, `https://${EVIL}\\@${hostPort}/rp/callback`, '/en/account',
  ];
}

/** Variants of a same-site path parameter (`return`) meant to leave the site or the account pages. */
const pathVariants = [
  ...absoluteVariants(RP_REDIRECT_URI),
  '/en/account/../../api/demo/login', '/en/account/..%2f..%2fen/demo', '/en/account%2f..%2f..%2f', '/en/account/x/y/z', '/en/accountx', '/en/account?x=1',
  '/en/account//evil.example', '/en/account/\\evil.example', '/zz/account',
];

/** Where an answer sends the browser (absolute), if it sends it anywhere. */
const target = (a: Answer) => (a.status >= 300 && a.status < 400 ? a.location : undefined);

function expectStaysHome(foyer: Foyer, a: Answer, variant: string) {
  const to = target(a);
  const where = `${variant} → ${describeAnswer(a)}`;
  expect(a.status, where).toBeLessThan(500);
  if (to) expect(new URL(to).origin, where).toBe(foyer.url);
  expect(a.headers.refresh ?? '', where).toBe('');
  expect(a.body, where).not.toMatch(new RegExp(`http-equiv=["']?refresh[^>]*${EVIL}`, 'i'));
}

test(`open redirect: redirect_uri with ${absoluteVariants(RP_REDIRECT_URI).length} variants never leaves Foyer`, async ({ foyer }) => {
  const variants = absoluteVariants(RP_REDIRECT_URI);
  expect(variants.length).toBeGreaterThanOrEqual(40);
  const b = new FlowBrowser({ issuer: foyer.url });
  for (const v of variants) {
    const params = new URLSearchParams({ client_id: 'rp', redirect_uri: v, response_type: 'code', scope: 'openid', state: 's', code_challenge: randomBytes(32).toString('base64url'), code_challenge_method: 'S256' });
    const a = await b.open(`/oauth2/authorize?${params}`);
    expectStaysHome(foyer, a, v);
    expect(errorPageProblems(a.body), v).toEqual([]);
  }
});

test(`open redirect: post_logout_redirect_uri with ${absoluteVariants(RP_REDIRECT_URI).length} variants never leaves Foyer`, async ({ foyer }) => {
  const b = new FlowBrowser({ issuer: foyer.url });
  for (const v of absoluteVariants(RP_REDIRECT_URI)) {
    for (const extra of [{ client_id: 'rp' }, { client_id: 'rp', id_token_hint: 'x.y.z' }, {}] as Record<string, string>[]) {
      const a = await b.open(`/logout?${new URLSearchParams({ ...extra, post_logout_redirect_uri: v, state: 's' })}`);
      expectStaysHome(foyer, a, `${v} ${JSON.stringify(extra)}`);
    }
  }
});

test(`open redirect: the account pages' return parameter with ${pathVariants.length} variants only ever lands on an account page`, async ({ foyer }) => {
  const b = new FlowBrowser({ issuer: foyer.url });
  // Signed in to the account pages once; each variant then goes through the whole round trip.
  const login = await b.open('/api/account/login?lang=en');
  const posted = await b.submit(login, 'login-form', { identifier: ALICE.username, password: ALICE.password });
  const home = await b.open(posted.location!);
  expect(new URL(home.path, foyer.url).pathname).toBe('/en/account');
  for (const v of pathVariants) {
    const a = await b.open(`/api/account/login?lang=en&return=${encodeURIComponent(v)}`, 8);
    expectStaysHome(foyer, a, v);
    expect(a.status, `${v} → ${describeAnswer(a)}`).toBe(200);
    expect(new URL(a.path, foyer.url).pathname, v).toMatch(/^\/en\/account(\/[a-z-]+){0,2}$/);
  }
});

test('open redirect: the language switch (?lang=) and the Cognito entry points stay on Foyer', async ({ foyer }) => {
  const b = new FlowBrowser({ issuer: foyer.url });
  for (const v of [`//${EVIL}`, `/\\${EVIL}`, `https://${EVIL}`, `ar/../../${EVIL}`, `ar%2f%2f${EVIL}`, 'ar\r\nLocation: x']) {
    for (const path of [`/en/demo?lang=${encodeURIComponent(v)}`, `/en/demo?ui_locales=${encodeURIComponent(v)}`, `/login?client_id=rp&redirect_uri=${encodeURIComponent(v)}`, `/${encodeURIComponent(v)}`]) {
      const a = await b.request('GET', path);
      expectStaysHome(foyer, a, path);
    }
  }
});
