import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { expect, startFoyer, startFoyerExpectingFailure, test, testConfig, type Foyer } from './fixtures/foyer';
import { enterCode, signUp } from './fixtures/pages';

/** What an operator meets: health checks, metrics, structured logs, the deployment secret, the issuer. */

const ADMIN_DB = 'postgres://postgres@127.0.0.1:5432/postgres';
const METRICS_TOKEN = randomBytes(24).toString('base64url');

/** A fresh PostgreSQL database for one test; dropped by the returned function. */
async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `foyer_ops_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_DB });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: ADMIN_DB });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A GET with headers a browser would not let us forge (Host among them). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** The value of one sample in Prometheus's text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inside = line.slice(name.length + 1, line.indexOf('}'));
    if (want.every((w) => inside.split(',').includes(w))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

test.describe('an instance run by an operator', () => {
  let foyer: Foyer;
  test.beforeAll(async ({ smtp }) => {
    foyer = await startFoyer({ config: testConfig, smtpUrl: smtp.url, env: { METRICS_TOKEN, TRUST_PROXY: '1', LOG_FORMAT: 'json' } });
  });
  test.afterAll(async () => foyer?.stop());

  test('answers health checks for load balancers', async ({ request }) => {
    for (const path of ['/health/live', '/health/ready']) {
      const res = await request.get(`${foyer.url}${path}`);
      expect(res.status()).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
      expect(res.headers()['cache-control']).toBe('no-store');
    }
  });

  test('logs JSON lines with request ids, keeps the proxy\'s id, and never logs passwords or codes', async ({ page, request, smtp }) => {
    const u = { username: `ops-${randomBytes(4).toString('hex')}`, password: `a harbour light at dusk ${randomBytes(4).toString('hex')}` };
    const email = `${u.username}@example.test`;
    await page.goto(`${foyer.url}/en/demo`);
    await page.getByTestId('demo-sign-up').click();
    const before = Date.now();
    await signUp(page, { ...u, email });
    const code = await smtp.codeFor(email, before);
    await enterCode(page, code);
    await expect(page.getByTestId('signed-in-as')).toContainText(u.username);

    // A trusted proxy's request id is kept (TRUST_PROXY=1 here) and comes back in the answer.
    const given = `edge-${randomBytes(6).toString('hex')}`;
    const res = await request.get(`${foyer.url}/.well-known/openid-configuration`, { headers: { 'x-request-id': given } });
    expect(res.headers()['x-request-id']).toBe(given);
    await expect.poll(() => foyer.logs().includes(`"reqId":"${given}"`)).toBe(true);

    const lines = foyer.logs().split('\n').filter((l) => l.startsWith('{'));
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const requests = records.filter((r) => r.msg === 'request');
    expect(requests.length).toBeGreaterThan(5);
    for (const r of requests) {
      expect(r).toMatchObject({ level: 'info', method: expect.any(String), path: expect.any(String), status: expect.any(Number), reqId: expect.any(String) });
      // Paths only: query strings carry codes and states.
      expect(String(r.path)).not.toContain('?');
    }
    const all = foyer.logs();
    expect(all).not.toContain(u.password);
    expect(all).not.toContain(code);
  });

  test('serves Prometheus metrics only with the token', async ({ request }) => {
    expect((await request.get(`${foyer.url}/metrics`)).status()).toBe(401);
    expect((await request.get(`${foyer.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status()).toBe(401);
    const res = await request.get(`${foyer.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status()).toBe(200);
    expect(res.headers()['content-type']).toContain('text/plain');
    const text = await res.text();
    // The sign-up above ended in a sign-in, and its pages were counted under their routes.
    expect(sample(text, 'foyer_sign_ins_total', { outcome: 'success' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'foyer_http_requests_total', { method: 'GET', route: '/[locale]/signup', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'foyer_http_requests_total', { method: 'GET', route: '/.well-known/openid-configuration', status: '200' })).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^foyer_http_request_duration_seconds_bucket\{/m);
    expect(text).toMatch(/^foyer_password_hash_queue /m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
  });

  test('names itself by PUBLIC_URL whatever Host and X-Forwarded-* claim', async () => {
    const forged = { host: 'evil.example', 'x-forwarded-host': 'evil2.example', 'x-forwarded-proto': 'https', forwarded: 'host=evil3.example;proto=https' };
    const discovery = await rawGet(`${foyer.url}/.well-known/openid-configuration`, forged);
    const urls = Object.values(JSON.parse(discovery.body) as Record<string, unknown>).filter((v): v is string => typeof v === 'string' && v.includes('://'));
    expect(urls.length).toBeGreaterThan(5);
    for (const u of urls) expect(u === foyer.url || u.startsWith(`${foyer.url}/`)).toBe(true);
    const authorize = await rawGet(`${foyer.url}/oauth2/authorize?${new URLSearchParams({ client_id: 'demo', response_type: 'code', scope: 'openid', redirect_uri: `${foyer.url}/api/demo/callback`, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' })}`, forged);
    expect(authorize.status).toBe(303);
    expect(authorize.headers.location ?? '').not.toMatch(/evil/);
  });
});

test('metrics on their own port need no token and are not on the public port', async () => {
  const foyer = await startFoyer({ config: testConfig, env: { METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' } });
  try {
    const line = foyer.logs().split('\n').find((l) => l.includes('metrics served at /metrics'));
    const port = Number(JSON.parse(line!).port);
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^foyer_http_requests_total|^# HELP foyer_/m);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    // Without METRICS_TOKEN the public port has no /metrics at all.
    expect((await fetch(`${foyer.url}/metrics`)).status).toBe(404);
  } finally {
    await foyer.stop();
  }
});

test('an instance with another FOYER_SECRET refuses the database; a rotation with FOYER_SECRET_PREVIOUS re-seals it', async () => {
  const db = await freshDatabase();
  const first = randomBytes(36).toString('base64url');
  const second = randomBytes(36).toString('base64url');
  try {
    const a = await startFoyer({ config: testConfig, env: { DATABASE_URL: db.url, FOYER_SECRET: first } });
    const jwks = await (await fetch(`${a.url}/.well-known/jwks.json`)).json();
    await a.stop();

    const refused = await startFoyerExpectingFailure(testConfig, { env: { DATABASE_URL: db.url, FOYER_SECRET: second } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/FOYER_SECRET/);
    expect(refused.stderr).not.toContain(first);
    expect(refused.stderr).not.toContain(second);

    // Rotation: the new secret, with the old one as previous, re-seals what the old one sealed …
    const b = await startFoyer({ config: testConfig, env: { DATABASE_URL: db.url, FOYER_SECRET: second, FOYER_SECRET_PREVIOUS: first } });
    expect(b.logs()).toMatch(/sealed secrets under the current deployment secret/);
    await b.stop();
    // … after which the new secret alone opens everything, and the keys are the same ones.
    const c = await startFoyer({ config: testConfig, env: { DATABASE_URL: db.url, FOYER_SECRET: second } });
    expect(await (await fetch(`${c.url}/.well-known/jwks.json`)).json()).toEqual(jwks);
    await c.stop();
  } finally {
    await db.drop();
  }
});
