import { test, expect } from '../fixtures/foyer';
import { errorPageProblems, securityHeaderProblems, SPA } from '../fixtures/attack';
import { authorizeEntry, FlowBrowser, openScreen } from '../fixtures/http-flow';
import { multipart } from '../fixtures/html-form';
import { probe, type ProbeRequest } from '../fixtures/probe';
import http from 'node:http';

/**
 * Attacks on the HTTP layer itself, in raw HTTP against the production build: a spoofed Host,
 * requests built to crash the framework, and framing (every kind of answer carries the headers).
 */

const EVIL = 'evil.example';
const spoofing = {
  host: EVIL,
  'x-forwarded-host': EVIL,
  'x-forwarded-proto': 'https',
  'x-forwarded-port': '8443',
  forwarded: `host=${EVIL};proto=https`,
  'x-original-url': `https://${EVIL}/`,
};

/** One request with the whole answer: status, headers and body. */
function send(origin: string, r: ProbeRequest & { method?: string }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(origin);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { connection: 'close', ...r.headers };
    if (r.body !== undefined) headers['content-length'] = Buffer.byteLength(r.body);
    const req = http.request({ host: u.hostname, port: Number(u.port), method: r.method ?? 'GET', path: r.path, headers, agent: false, setHost: !('host' in headers) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

test('host header spoofing: discovery, JWKS, redirects and cookies name PUBLIC_URL only', async ({ foyer }) => {
  const paths = [
    '/.well-known/openid-configuration',
    '/.well-known/jwks.json',
    authorizeEntry(SPA, 'login').url,
    authorizeEntry(SPA, 'signup').url,
    '/',
    '/en/demo',
    '/logout?client_id=rp',
    '/api/demo/login',
    '/api/account/login?lang=en',
    '/en/login?uid=nope&lang=ar',
  ];
  for (const path of paths) {
    const a = await send(foyer.origin, { path, headers: spoofing });
    const where = `${path} → ${a.status} ${a.headers.location ?? ''}`;
    expect(a.status, where).toBeLessThan(500);
    expect(`${a.body} ${a.headers.location ?? ''} ${JSON.stringify(a.headers['set-cookie'] ?? [])}`, where).not.toContain(EVIL);
    if (a.headers.location && /^https?:/.test(a.headers.location)) expect(new URL(a.headers.location).origin, where).toBe(foyer.url);
  }
  // Discovery's URLs are the issuer's, even for an absolute-form request naming another host.
  for (const r of [{ path: '/.well-known/openid-configuration', headers: spoofing }, { path: `http://${EVIL}/.well-known/openid-configuration` }]) {
    const d = JSON.parse((await send(foyer.origin, r)).body) as Record<string, unknown>;
    expect(d.issuer).toBe(foyer.url);
    for (const [k, v] of Object.entries(d)) if (typeof v === 'string' && /^https?:/.test(v)) expect(new URL(v).origin, k).toBe(foyer.url);
  }
});

test('host header spoofing: a whole sign-in with a forged Host ends at the registered redirect URI with the real issuer', async ({ foyer }) => {
  const b = new FlowBrowser({ issuer: foyer.url });
  const page = await openScreen(b, SPA, 'login');
  const [target, fields] = b.fill(page, 'login-form', { identifier: 'alice', password: 'Correct-Horse-Battery-Staple-42' });
  const { headers, body } = b.draft('POST', target, fields);
  const posted = await send(foyer.origin, { method: 'POST', path: target, headers: { ...headers, ...spoofing, origin: foyer.url }, body });
  expect(posted.status, posted.body.slice(0, 200)).toBe(303);
  expect(new URL(posted.headers.location!, foyer.url).origin).toBe(foyer.url);
});

/** Hostile requests: each gets a 4xx with our error page, never a 500 or a stack. */
const hostile: { name: string; request: (url: string, formPath: string, form: [string, string][]) => ProbeRequest & { method?: string }; status: number }[] = [
  { name: 'TRACE on a page', request: () => ({ method: 'TRACE', path: '/en/login' }), status: 405 },
  { name: 'TRACE on a protocol endpoint', request: () => ({ method: 'TRACE', path: '/oauth2/token' }), status: 405 },
  { name: 'PROPFIND', request: () => ({ method: 'PROPFIND', path: '/en' }), status: 405 },
  { name: 'DELETE on a page', request: () => ({ method: 'DELETE', path: '/en/login' }), status: 405 },
  { name: 'invalid UTF-8 in the path', request: () => ({ path: '/en/%ff%fe' }), status: 400 },
  { name: 'a lone percent sign', request: () => ({ path: '/%' }), status: 400 },
  { name: 'a truncated escape on a protocol path', request: () => ({ path: '/oauth2/authorize%e2%82' }), status: 400 },
  {
    name: 'an empty multipart body',
    request: (url, path) => ({ method: 'POST', path, headers: { origin: url, 'content-type': 'multipart/form-data; boundary=x' }, body: '' }),
    status: 400,
  },
  {
    name: 'a malformed multipart body',
    request: (url, path) => ({ method: 'POST', path, headers: { origin: url, 'content-type': 'multipart/form-data; boundary=x' }, body: '--x\r\nnot a part\r\n--x' }),
    status: 400,
  },
  {
    name: 'multipart without a boundary',
    request: (url, path) => ({ method: 'POST', path, headers: { origin: url, 'content-type': 'multipart/form-data' }, body: 'a=b' }),
    status: 400,
  },
  {
    name: 'a tampered $ACTION reference ($@2)',
    request: (url, path, form) => formPost(url, path, form.map(([k, v]) => [k, k === '$ACTION_1:0' ? v.replace('$@1', '$@2') : v])),
    status: 400,
  },
  {
    name: 'a tampered $ACTION id',
    request: (url, path, form) => formPost(url, path, form.map(([k, v]) => [k, k === '$ACTION_1:0' ? v.replace(/"id":"[0-9a-f]+"/, '"id":"00"') : v])),
    status: 400,
  },
  {
    name: 'broken JSON in the bound state',
    request: (url, path, form) => formPost(url, path, form.map(([k, v]) => [k, k === '$ACTION_1:1' ? '[{' : v])),
    status: 400,
  },
  {
    name: 'extra bound arguments',
    request: (url, path, form) => formPost(url, path, form.map(([k, v]) => [k, k === '$ACTION_1:1' ? '[1,2,3]' : v])),
    status: 400,
  },
  { name: 'an $ACTION_ID_ field of a real action', request: (url, path, form) => formPost(url, path, [[`$ACTION_ID_${actionId(form)}`, ''], ...form.filter(([k]) => !k.startsWith('$'))]), status: 400 },
  { name: 'a form post without any action', request: (url, path, form) => formPost(url, path, form.filter(([k]) => !k.startsWith('$'))), status: 400 },
  {
    name: 'Next-Action with a text body',
    request: (url, path, form) => ({ method: 'POST', path, headers: { origin: url, 'next-action': actionId(form), 'content-type': 'text/plain;charset=UTF-8' }, body: '["x"]' }),
    status: 400,
  },
  { name: 'Next-Action with an unknown id', request: (url, path) => actionCall(url, path, 'ffff', [['0', '["$K1"]']]), status: 400 },
  { name: 'Next-Action with forged references', request: (url, path, form) => actionCall(url, path, actionId(form), [['0', '["$Q1","$K1"]']]), status: 400 },
  { name: 'Next-Action with a field outside its form', request: (url, path, form) => actionCall(url, path, actionId(form), [['0', '[{},"$K1"]'], ['1', '"$@0"']]), status: 400 },
  { name: 'a cross-origin form post', request: (_url, path, form) => ({ ...formPost(`https://${EVIL}`, path, form) }), status: 403 },
  { name: 'a form post from an opaque origin', request: (_url, path, form) => ({ ...formPost('null', path, form) }), status: 403 },
  { name: 'a form post of a URL-encoded body', request: (url, path) => ({ method: 'POST', path, headers: { origin: url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'identifier=a&password=b' }), status: 400 },
  { name: 'an oversized form post', request: (url, path, form) => formPost(url, path, [...form, ['identifier', 'x'.repeat(200_000)]]), status: 413 },
  { name: 'oversized headers', request: () => ({ path: '/en/login', headers: { 'x-padding': 'x'.repeat(20_000) } }), status: 431 },
];

const actionId = (form: [string, string][]) => /"id":"([0-9a-f]+)"/.exec(form.find(([k]) => k === '$ACTION_1:0')?.[1] ?? '')?.[1] ?? '';
function multipartRequest(origin: string, path: string, fields: [string, string][]) {
  const m = multipart(fields);
  return { method: 'POST', path, headers: { origin, 'content-type': m.contentType }, body: m.body };
}
function actionCall(origin: string, path: string, id: string, fields: [string, string][]) {
  const r = multipartRequest(origin, path, fields);
  return { ...r, headers: { ...r.headers, 'next-action': id } };
}
const formPost = (origin: string, path: string, fields: [string, string][]) => multipartRequest(origin, path, fields);

test.describe('hostile requests get a 4xx with our error page, never a 500', () => {
  for (const h of hostile) {
    test(h.name, async ({ foyer }) => {
      const b = new FlowBrowser({ issuer: foyer.url });
      const page = await openScreen(b, SPA, 'login');
      const [path, fields] = b.fill(page, 'login-form', { identifier: 'alice', password: 'wrong-password-here' });
      const r = h.request(foyer.url, path, fields);
      const a = await send(foyer.origin, { ...r, headers: { ...r.headers, cookie: b.jar.header(path) ?? '' } });
      expect(a.status, a.body.slice(0, 300)).toBe(h.status);
      expect(errorPageProblems(a.body)).toEqual([]);
      expect(securityHeaderProblems(a.headers)).toEqual([]);
      // The server is still there for the next one.
      expect((await probe(foyer.origin, { path: '/health/ready' })).status).toBe(200);
    });
  }

  test('the same form, untampered, still signs in (the screening lets real posts through)', async ({ foyer }) => {
    const b = new FlowBrowser({ issuer: foyer.url });
    const page = await openScreen(b, SPA, 'login');
    const posted = await b.submit(page, 'login-form', { identifier: 'alice', password: 'Correct-Horse-Battery-Staple-42' });
    expect(posted.status).toBe(303);
  });
});

test('a CSRF cookie the proxy did not mint (tampered, or decoding to a NUL) is replaced, never a 500', async ({ foyer }) => {
  // Found by the fuzzer (seed 1133030146): `foyer.csrf=%00` decoded to a byte no header may carry.
  for (const value of ['%00', 'x%0Ay', 'short', '%E2%80%AE'.repeat(11)]) {
    const r = await send(foyer.url, { path: '/en/demo', headers: { cookie: `NEXT_LOCALE=en; foyer.csrf=${value}` } });
    expect(r.status, value).toBe(200);
    const minted = [r.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('foyer.csrf='));
    expect(minted, value).toMatch(/^foyer\.csrf=[A-Za-z0-9_-]{32};/);
  }
});

test('clickjacking: every kind of answer carries the security headers', async ({ foyer }) => {
  const b = new FlowBrowser({ issuer: foyer.url });
  const login = await openScreen(b, SPA, 'login');
  const asset = /\/_next\/static\/[^"']+\.(?:css|js)/.exec(login.body)?.[0];
  expect(asset, 'the page links a static asset').toBeTruthy();
  const kinds: Record<string, ProbeRequest & { method?: string }> = {
    page: { path: login.path },
    'home redirect': { path: '/' },
    'locale page': { path: '/en/demo' },
    'error page': { path: '/en/error?code=not_found' },
    '404 of a path with a dot': { path: '/foo.php' },
    '404 of a nested dotted path': { path: '/wp-admin/install.php' },
    '404 of a page': { path: '/en/no-such-page' },
    'api route': { path: '/api/demo/login' },
    'api 404': { path: '/api/nothing' },
    discovery: { path: '/.well-known/openid-configuration' },
    jwks: { path: '/.well-known/jwks.json' },
    'authorize error': { path: '/oauth2/authorize?client_id=nope' },
    'token error': { method: 'POST', path: '/oauth2/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=nope' },
    userinfo: { path: '/oauth2/userInfo' },
    'protocol 404': { path: '/oauth2/nothing' },
    'static asset': { path: asset! },
    'static 404': { path: '/_next/static/nothing.js' },
    'health live': { path: '/health/live' },
    'health ready': { path: '/health/ready' },
    refusal: { method: 'TRACE', path: '/' },
    'bad query': { path: `${login.path}&uid=a&uid=b` },
  };
  for (const [kind, r] of Object.entries(kinds)) {
    const a = await send(foyer.origin, r);
    expect(a.status, kind).toBeLessThan(500);
    expect(securityHeaderProblems(a.headers), `${kind}: ${r.path} → ${a.status}`).toEqual([]);
  }
});
