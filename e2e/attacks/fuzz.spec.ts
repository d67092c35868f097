import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { test, expect, startFoyer, testConfig, type Foyer } from '../fixtures/foyer';
import { SPA } from '../fixtures/attack';
import { GOOD_PASSPHRASE, freshUser } from '../fixtures/flows';
import { FlowBrowser, openScreen, type Answer, type EntryScreen } from '../fixtures/http-flow';
import { parseForm } from '../fixtures/html-form';
import { FULL_MATRIX } from '../fixtures/sample';
import { resolveDeploymentSecret, sealerFor } from '../../server/secrets';

/**
 * Property-based fuzzing of every way in: the hosted forms (server-action posts, with their
 * hidden fields tampered with too), query parameters, cookies, headers, paths and the protocol
 * endpoints. Inputs come from fast-check, seeded (FUZZ_SEED replays a run), and are sent with
 * modest concurrency over keep-alive. The properties: no answer ≥ 500, no injected markup comes
 * back unescaped in HTML, the server is healthy afterwards, and the database holds nothing
 * half-written.
 */

/**
 * 3,000 inputs a run in CI, 10,000 with E2E_FULL=1 (FUZZ_RUNS sets any number). Each run draws
 * from a new seed, so runs add up to more than any one could send; by the weights below, 3,000
 * still send every kind of request dozens of times or more (form posts ≈ 180, SAML ≈ 60), but
 * for valid sign-ups (≈ 15), which keep the database's consistency checks below meaningful.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? (FULL_MATRIX ? 10_000 : 3_000));
// 10,000 inputs take about 4 minutes on a 2-core runner shared with the other Playwright worker:
// 33 ms an input is the bound (with two minutes at least, for a few inputs on a slow start).
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_LIMIT_S ?? Math.max(120, Math.ceil(RUNS * 0.033))) * 1000;
const CONCURRENCY = 6;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

// ---------------------------------------------------------------------------------------------
// Values

/** Markup that must never come back as markup; each carries `fz` so a reflection is ours. */
const MARKUP = ['<script>alert("fz")</script>', '"><fz-img src=x onerror=alert(1)>', "'><svg/onload=alert('fz')>", '</textarea><fz-x>', '<fz-a href="javascript:alert(1)">x</fz-a>'];
const REFLECTED = /<script>alert\("fz"\)|<fz-|<svg\/onload=alert\('fz'\)/i;

const NASTY = [
  ...MARKUP,
  '{{7*7}}', '${7*7}', "' OR '1'='1", '"; DROP TABLE users; --', '../../../../etc/passwd', '..%2f..%2f', '%00', '\u0000', '\ud800', '\u202e',
  'a'.repeat(5000), '$@1', '$Q1', '$K1', '$T', '__proto__', 'constructor', 'null', 'undefined', '-1', '1e309', 'NaN', '%ff%fe', '%',
  '\r\nSet-Cookie: fz=1', 'javascript:alert(1)', '//evil.example', 'https://evil.example/cb', '[]', '{}', '{"a":', '😀\u200d', 'ﷺ', '\\',
];

const value: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 1 },
  { arbitrary: fc.nat().map(String), weight: 1 },
);

/** Header values must be latin-1 without control characters (or the client refuses to send them). */
const headerSafe = (s: string) => s.replace(/[^\t\x20-\x7e]/g, (c) => pathSafe(c).replace(/%/g, '%25'));
/** Percent-encoded UTF-8 (a lone surrogate becomes U+FFFD, as a browser sends it). */
const pathSafe = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
const query = (params: [string, string][]) => params.map(([k, v]) => `${pathSafe(k)}=${pathSafe(v)}`).join('&');

const params = (names: string[]) => fc.array(fc.tuple(fc.oneof(fc.constantFrom(...names), value), value), { maxLength: 8 });

// ---------------------------------------------------------------------------------------------
// Requests

type Req = { kind: string; method: string; path: string; headers: Record<string, string>; body?: Buffer | string; screen?: number };

/** The forms fuzzed: opened once, each post goes with its browser's cookies. */
type Screen = { browser: FlowBrowser; page: Answer; testId: string; kind: EntryScreen | 'forgot' };

const COOKIES = ['foyer.session', 'foyer.interaction', 'foyer.resume', 'foyer.csrf', 'NEXT_LOCALE', 'foyer.device', 'foyer.account', 'foyer-demo.session', 'foyer.fed'];
const SCREENS = ['login', 'signup', 'confirm', 'forgot-password', 'reset-password', 'new-password', 'consent', 'mfa', 'account', 'error', 'demo', 'federation/link'];
const CLIENTS = ['demo', 'spa', 'rp', 'partner', 'nope'];

const authorizeParams = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt', 'max_age', 'ui_locales', 'login_hint', 'identity_provider', 'idp_identifier', 'request', 'claims', 'response_mode', 'lang'];

function arbitraryRequest(foyer: Foyer, screens: Screen[]): fc.Arbitrary<Req> {
  const form = fc.record({ screen: fc.nat(screens.length - 1), values: fc.array(value, { minLength: 6, maxLength: 6 }), tamper: fc.option(fc.tuple(fc.nat(8), value), { freq: 3 }) }).map(({ screen, values, tamper }): Req => {
    const s = screens[screen];
    const visible = parseForm(s.page.body, s.testId)!.visible;
    const [target, fields] = s.browser.fill(s.page, s.testId, Object.fromEntries(visible.map((k, i) => [k, values[i % values.length]])));
    if (tamper) {
      const hidden = fields.filter(([k]) => !visible.includes(k));
      const victim = hidden[tamper[0] % hidden.length];
      if (victim) victim[1] = tamper[1];
    }
    const { path: p, headers, body } = s.browser.draft('POST', target, fields);
    return { kind: `form ${s.kind}${tamper ? ' (tampered)' : ''}`, method: 'POST', path: p, headers, body, screen };
  });
  const signUp = fc.constant(null).map((): Req => ({ kind: 'valid sign-up', method: 'POST', path: '', headers: {} }));
  const pageQuery = fc.tuple(fc.constantFrom('en', 'ar'), fc.constantFrom(...SCREENS), params(['uid', 'code', 'notice', 'error', 'lang', 'ui_locales', 'client_id', 'xsrf', 'signed_out'])).map(
    ([l, s, q]): Req => ({ kind: 'page query', method: 'GET', path: `/${l}/${s}?${query(q)}`, headers: {} }),
  );
  const authorize = params(authorizeParams).chain((q) =>
    fc.constantFrom(...CLIENTS).map((c): Req => ({ kind: 'authorize', method: 'GET', path: `/oauth2/authorize?client_id=${c}&${query(q)}`, headers: {} })),
  );
  const formBody = (names: string[]) => params(names).map((q) => query(q));
  const protocolPost = (kind: string, p: string, names: string[]) =>
    fc.tuple(formBody(names), fc.option(value)).map(([body, auth]): Req => ({
      kind,
      method: 'POST',
      path: p,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth === null ? {} : { authorization: `Basic ${Buffer.from(`${auth}:${auth}`).toString('base64')}` }) },
      body,
    }));
  const token = protocolPost('token', '/oauth2/token', ['grant_type', 'code', 'redirect_uri', 'client_id', 'client_secret', 'code_verifier', 'refresh_token', 'scope', 'resource']);
  const revoke = protocolPost('revocation', '/oauth2/revoke', ['token', 'token_type_hint', 'client_id', 'client_secret']);
  const introspect = protocolPost('introspection', '/oauth2/introspect', ['token', 'token_type_hint', 'client_id']);
  const saml = fc.tuple(value, value).map(([r, relay]): Req => ({
    kind: 'SAML ACS',
    method: 'POST',
    path: '/saml2/idpresponse',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: query([['SAMLResponse', Buffer.from(`<samlp:Response ID="${r}">${r}</samlp:Response>`).toString('base64')], ['RelayState', relay]]),
  }));
  const userinfo = fc.tuple(value, fc.constantFrom('GET', 'POST')).map(([t, m]): Req => ({ kind: 'userinfo', method: m, path: '/oauth2/userInfo', headers: { authorization: headerSafe(`Bearer ${t}`) } }));
  const endSession = params(['id_token_hint', 'post_logout_redirect_uri', 'client_id', 'state', 'ui_locales', 'logout_hint']).map((q): Req => ({ kind: 'end_session', method: 'GET', path: `/logout?${query(q)}`, headers: {} }));
  const wellKnown = fc.tuple(fc.constantFrom('/.well-known/openid-configuration', '/.well-known/jwks.json'), params(['x'])).map(([p, q]): Req => ({ kind: 'discovery/jwks', method: 'GET', path: `${p}?${query(q)}`, headers: {} }));
  const cookies = fc.tuple(fc.constantFrom('/en', '/en/login?uid=x', '/oauth2/authorize?client_id=spa', '/en/account', '/api/account/login', '/en/demo'), fc.array(fc.tuple(fc.constantFrom(...COOKIES), value), { maxLength: 6 })).map(
    ([p, c]): Req => ({ kind: 'cookies', method: 'GET', path: p, headers: { cookie: headerSafe(c.map(([k, v]) => `${k}=${v}`).join('; ')) } }),
  );
  const headers = fc.tuple(
    fc.constantFrom('/en/demo', '/', '/en/error', '/oauth2/authorize', '/.well-known/openid-configuration'),
    fc.array(fc.tuple(fc.constantFrom('accept-language', 'rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-url', 'x-forwarded-for', 'user-agent', 'accept', 'if-none-match', 'range', 'content-type', 'origin', 'x-request-id', 'next-action'), value), { maxLength: 5 }),
  ).map(([p, h]): Req => ({ kind: 'headers', method: 'GET', path: p, headers: Object.fromEntries(h.map(([k, v]) => [k, headerSafe(v)])) }));
  const rawPaths = ['/%', '/en/%ff%fe', '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd', '/en/login%', '/oauth2/%zz', '/en/%ed%a0%80', '//evil.example/%2e%2e', '/.well-known/%ff', '/_next/%ff'];
  const paths = fc.oneof(
    fc.array(value, { minLength: 1, maxLength: 4 }).map((segs) => `/${segs.map(pathSafe).join('/')}`),
    fc.tuple(fc.constantFrom(...rawPaths), fc.string({ maxLength: 8 })).map(([p, tail]) => `${p}${pathSafe(tail)}`),
  ).map((p): Req => ({ kind: 'path', method: 'GET', path: p, headers: {} }));
  void foyer;
  // Weights: JSON endpoints answer in a millisecond or two, rendered pages and form posts (argon2)
  // cost ten to a hundred times more; every kind still gets hundreds of inputs in a run of 10,000
  // (valid sign-ups about 50).
  return fc.oneof(
    { arbitrary: form, weight: 12 },
    { arbitrary: signUp, weight: 1 },
    { arbitrary: pageQuery, weight: 8 },
    { arbitrary: authorize, weight: 8 },
    { arbitrary: token, weight: 44 },
    { arbitrary: revoke, weight: 18 },
    { arbitrary: introspect, weight: 18 },
    { arbitrary: saml, weight: 4 },
    { arbitrary: userinfo, weight: 36 },
    { arbitrary: endSession, weight: 6 },
    { arbitrary: wellKnown, weight: 16 },
    { arbitrary: cookies, weight: 8 },
    { arbitrary: headers, weight: 10 },
    { arbitrary: paths, weight: 8 },
  );
}

// ---------------------------------------------------------------------------------------------
// Sending

type Result = { i: number; req: Req; status: number; reflected: boolean; ms: number };

type Sent = { status: number; type: string; body: string; location?: string };

/** Sends `req`; once more if a kept-alive connection was closed under it (as a browser does). */
async function send(agent: http.Agent, origin: URL, req: Req): Promise<Sent> {
  try {
    return await sendOnce(agent, origin, req);
  } catch (e) {
    if ((e as { reused?: boolean }).reused) return sendOnce(agent, origin, req);
    throw e;
  }
}

function sendOnce(agent: http.Agent, origin: URL, req: Req): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...req.headers, connection: 'keep-alive' };
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = http.request({ host: origin.hostname, port: Number(origin.port), method: req.method, path: req.path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), location: res.headers.location }));
      res.on('error', reject);
    });
    r.setTimeout(30_000, () => r.destroy(new Error('no answer within 30 s')));
    r.on('error', (e: NodeJS.ErrnoException) => reject(Object.assign(e, { reused: r.reusedSocket && e.code === 'ECONNRESET' })));
    r.end(req.body);
  });
}

const describeReq = (r: Req) => `${r.kind}: ${r.method} ${r.path.slice(0, 160)}${r.body ? ` body ${String(r.body).slice(0, 160)}` : ''}`;

// ---------------------------------------------------------------------------------------------
// The run

let foyer: Foyer;
test.beforeAll(async () => {
  foyer = await startFoyer({ config: testConfig });
});
test.afterAll(async () => {
  await foyer?.stop();
});

test(`fuzz: ${RUNS} generated hostile inputs over forms, queries, cookies, headers and protocol endpoints`, async () => {
  test.setTimeout(TIME_LIMIT_MS + 120_000);
  console.log(`fuzz seed ${SEED} (replay with FUZZ_SEED=${SEED}), ${RUNS} inputs`);
  const db = new Database(path.join(foyer.dataDir, 'foyer.db'), { readonly: true, fileMustExist: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const usersBefore = count('SELECT count(*) AS n FROM users');

  const screens: Screen[] = [];
  for (let i = 0; i < 3; i++) {
    for (const [kind, testId] of [['login', 'login-form'], ['signup', 'signup-form']] as const) {
      const browser = new FlowBrowser({ issuer: foyer.url });
      screens.push({ browser, page: await openScreen(browser, SPA, kind), testId, kind });
    }
    const browser = new FlowBrowser({ issuer: foyer.url });
    const login = await openScreen(browser, SPA, 'login');
    const forgot = await browser.open(/href="([^"]*forgot-password[^"]*)"/.exec(login.body)![1].replace(/&amp;/g, '&'));
    screens.push({ browser, page: forgot, testId: 'forgot-form', kind: 'forgot' });
  }

  const inputs = fc.sample(arbitraryRequest(foyer, screens), { seed: SEED, numRuns: RUNS });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const origin = new URL(foyer.origin);
  const results: Result[] = [];
  const failures: string[] = [];
  let signUps = 0;
  let next = 0;
  const started = Date.now();

  const confirms = (location: string | undefined) => /\/[a-z]{2}\/confirm\?uid=/.test(location ?? '');
  const validSignUp = async (): Promise<{ req: Req; status: number; type: string; body: string; location?: string }> => {
    const b = new FlowBrowser({ issuer: foyer.url });
    const page = await openScreen(b, SPA, 'signup');
    const answer = await b.submit(page, 'signup-form', { ...freshUser('fz'), password: GOOD_PASSPHRASE });
    return { req: { kind: 'valid sign-up', method: 'POST', path: answer.path, headers: {} }, status: answer.status, type: String(answer.headers['content-type'] ?? ''), body: answer.body, location: answer.location };
  };

  const worker = async () => {
    while (next < inputs.length && Date.now() - started < TIME_LIMIT_MS) {
      const i = next++;
      const input = inputs[i];
      const t0 = Date.now();
      try {
        const a = input.kind === 'valid sign-up' ? await validSignUp() : { req: input, ...(await send(agent, origin, input)) };
        if ((input.kind.startsWith('form signup') || input.kind === 'valid sign-up') && a.status === 303 && confirms(a.location)) signUps++;
        const reflected = /html/.test(a.type) && REFLECTED.test(a.body);
        results.push({ i, req: a.req, status: a.status, reflected, ms: Date.now() - t0 });
        if (a.status >= 500 || reflected) failures.push(`#${i} ${a.status}${reflected ? ' REFLECTED' : ''} ${describeReq(a.req)}`);
      } catch (e) {
        failures.push(`#${i} no answer (${(e as Error).message}) ${describeReq(input)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
  const seconds = (Date.now() - started) / 1000;
  const byKind: Record<string, Record<string, number>> = {};
  for (const r of results) {
    const k = (byKind[r.req.kind.replace(/ \(tampered\)/, '')] ??= {});
    const s = `${Math.floor(r.status / 100)}xx`;
    k[s] = (k[s] ?? 0) + 1;
    k.ms = (k.ms ?? 0) + r.ms;
  }
  console.log(`fuzz: ${results.length} answers in ${seconds.toFixed(0)} s, by kind and status class: ${JSON.stringify(byKind)}`);

  // For a failure, what the server said about it: errors, and the log lines of answers ≥ 500.
  const errors = foyer.logs().split('\n').filter((l) => /"level":"(error|fatal)"|"status":5\d\d/.test(l) && !/MaxListenersExceeded/.test(l));
  expect(failures.slice(0, 30), `seed ${SEED}: ${failures.length} failures; the server logged: ${errors.slice(0, 12).join('\n')}`).toEqual([]);
  expect(results.length, `seed ${SEED}: only ${results.length} of ${RUNS} inputs were sent within ${TIME_LIMIT_MS / 1000} s`).toBe(RUNS);
  // Still alive and ready.
  const ready = await fetch(`${foyer.origin}/health/ready`);
  expect(ready.status).toBe(200);

  // Nothing half-written: every sign-up answered as one made exactly one user, with its code;
  // nothing points at a user that does not exist; every flow's state is whole JSON.
  expect((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
  expect(count('SELECT count(*) AS n FROM users') - usersBefore, 'users created = sign-ups answered with the confirmation screen').toBe(signUps);
  expect(count("SELECT count(*) AS n FROM users u WHERE u.status = 'UNCONFIRMED' AND NOT EXISTS (SELECT 1 FROM codes c WHERE c.user_id = u.id AND c.purpose = 'confirm_sign_up')")).toBe(0);
  for (const table of ['codes', 'user_groups', 'mfa_factors', 'recovery_codes', 'remembered_devices', 'account_sessions', 'webauthn_credentials', 'user_identities']) {
    expect(count(`SELECT count(*) AS n FROM ${table} t WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = t.user_id)`), `orphaned rows in ${table}`).toBe(0);
  }
  // Flow state is sealed under the deployment secret (generated in the data directory here).
  const { vault } = resolveDeploymentSecret({ dataDir: foyer.dataDir, previousSecrets: [] }, { create: false });
  const states = db.prepare('SELECT uid, state FROM sign_in_flows').all() as { uid: string; state: string }[];
  const whole = (s: { uid: string; state: string }) => {
    const opened = sealerFor(`sign_in_flows:${s.uid}`, vault).tryUnseal(s.state);
    try {
      return opened !== undefined && typeof JSON.parse(opened) === 'object';
    } catch {
      return false;
    }
  };
  expect(states.length, 'the fuzz run made sign-in flows').toBeGreaterThan(0);
  expect(states.filter((s) => !whole(s)).length, 'flows with a broken state').toBe(0);
  db.close();
});
