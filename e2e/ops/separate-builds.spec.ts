import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, freePort, repoRoot, SPA_REDIRECT_URI, startFoyer, testConfig, type Foyer, type SmtpSink } from '../fixtures/foyer';
import { demoSignOut, freshUser, startAtDemo } from '../fixtures/flows';
import { enterCode, signIn, signUp as signUpAs, submit } from '../fixtures/pages';
import { createDatabase, postgresProblem, postgresRequired, type TestDatabase } from '../fixtures/postgres';
import { separateBuild, type SeparateBuild } from '../fixtures/separate-build';
import { describeAnswer, FlowBrowser, openSignUp, postSignUp, screenOf } from '../fixtures/http-flow';
import { startTlsProxy, type TlsProxy } from '../fixtures/tls-proxy';
import { addAuthenticatorApp, totpAt } from '../fixtures/totp';
import { test as tlsTest } from '../fixtures/trusted-tls';

/**
 * A deployment as it runs for real: two instances of one commit, built separately (this checkout
 * and a copy built on its own, as two machines would), on one PostgreSQL database, with one
 * FOYER_SECRET, behind nginx terminating TLS and balancing round robin with no stickiness. The
 * main browser flows complete, with JavaScript and without, although every other request of a
 * flow (the page, its form post, the redirect, its assets) lands on the other instance.
 */

/** The test pool, with authenticator apps offered (OPTIONAL: users who set one up are asked for it). */
const config = (url: string) => {
  const c = testConfig(url);
  return { ...c, pool: { ...c.pool, mfa: { mode: 'OPTIONAL', factors: ['totp'] } } };
};

type Deployment = { instances: Foyer[]; proxy: TlsProxy; second: SeparateBuild; db: TestDatabase; url: string };

const test = tlsTest.extend<{ deployment: Deployment }, { shared: Deployment | undefined }>({
  // One deployment for the file's tests (a build of its own takes a while).
  shared: [
    async ({ pki, smtp }, use) => {
      const problem = await postgresProblem();
      if (problem) {
        if (postgresRequired) throw new Error(`${problem}, and FOYER_REQUIRE_POSTGRES=1`);
        await use(undefined);
        return;
      }
      const [second, db, port] = await Promise.all([separateBuild(), createDatabase(), freePort()]);
      const url = `https://localhost:${port}`;
      const env = { DATABASE_URL: db.url, FOYER_SECRET: randomBytes(48).toString('base64url'), TRUST_PROXY: '1', NODE_EXTRA_CA_CERTS: pki.caFile };
      const instances: Foyer[] = [];
      let proxy: TlsProxy | undefined;
      try {
        // The first applies the config to the empty database; the second joins it.
        instances.push(await startFoyer({ config, smtpUrl: smtp.url, publicUrl: url, env }));
        instances.push(await startFoyer({ config, smtpUrl: smtp.url, publicUrl: url, env, root: second.root }));
        proxy = await startTlsProxy({ upstreams: instances.map((i) => `127.0.0.1:${i.port}`), port, pki });
        await use({ instances, proxy, second, db, url });
      } finally {
        await proxy?.stop();
        await Promise.all(instances.map((i) => i.stop()));
        await Promise.all([db.drop(), second.remove()]);
      }
    },
    // A build of its own, then two servers: minutes on a busy machine.
    { scope: 'worker', timeout: 600_000 },
  ],
  deployment: async ({ shared }, use, testInfo) => {
    testInfo.skip(!shared, 'PostgreSQL is not reachable (set FOYER_REQUIRE_POSTGRES=1 to require it)');
    await use(shared!);
  },
});

type Hit = { upstream: string; status: number; method: string; target: string };

/** nginx's access log: which instance answered what (format in tls-proxy.ts). */
function hits(proxy: TlsProxy): Hit[] {
  return proxy
    .accessLog()
    .split('\n')
    .flatMap((line) => {
      const m = /upstream=(\S+) status=(\d+) "(\S+) (\S+) HTTP/.exec(line);
      return m ? [{ upstream: m[1], status: Number(m[2]), method: m[3], target: m[4] }] : [];
    });
}

/** Form posts answered by another instance than the one that rendered the form. */
function crossInstancePosts(log: Hit[]): Hit[] {
  return log.filter((h, i) => {
    if (h.method !== 'POST' || !/^\/(en|ar)\//.test(h.target)) return false;
    const rendered = log.slice(0, i).findLast((g) => g.method === 'GET' && g.target === h.target);
    return rendered !== undefined && rendered.upstream !== h.upstream;
  });
}

async function signInWithTotp(page: Page, user: { username: string; password: string }, secret: string, at: number) {
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, user.username, user.password);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  const mfa = page.getByTestId('mfa-form');
  await mfa.locator('[name="code"]').fill(totpAt(secret, at));
  await submit(page, mfa.getByTestId('verify-code'));
  await expect(page.getByTestId('signed-in-as')).toContainText(user.username);
}


async function newPage(browser: Browser, baseURL: string, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled });
  return context.newPage();
}

test('two instances built separately, behind a round-robin TLS proxy: sign-up, an authenticator app, sign-in with it, with and without JavaScript', async ({ browser, deployment, smtp }: { browser: Browser; deployment: Deployment; smtp: SmtpSink }) => {
  test.setTimeout(360_000);
  const { proxy, second, url, instances } = deployment;
  // Built apart, named alike: the same sources give the same build, so pages and assets match.
  expect(second.buildId).toBe(fs.readFileSync(path.join(repoRoot, '.next', 'BUILD_ID'), 'utf8').trim());

  const page = await newPage(browser, url, true);
  const user = { ...freshUser('two'), password: `two lanterns on one quay ${randomBytes(3).toString('hex')}` };
  await startAtDemo(page, url, 'en', 'signup');
  const since = Date.now();
  await signUpAs(page, user);
  await enterCode(page, await smtp.codeFor(user.email, since));
  await expect(page.getByTestId('signed-in-as')).toContainText(user.username);

  // An authenticator app, set up on the account pages.
  await page.getByTestId('manage-account').click();
  await expect(page).toHaveURL(`${url}/en/account`);
  const secret = await addAuthenticatorApp(page);

  // Signed out and in again with the password and the app's code.
  await demoSignOut(page);
  await signInWithTotp(page, user, secret, Date.now() + 30_000);
  await demoSignOut(page);

  // The same without JavaScript: plain form posts carry the action id of the instance that drew them.
  const plain = await newPage(browser, url, false);
  const other = { ...freshUser('nojs'), password: `a lantern without a script ${randomBytes(3).toString('hex')}` };
  await startAtDemo(plain, url, 'en', 'signup');
  const later = Date.now();
  await signUpAs(plain, other);
  await enterCode(plain, await smtp.codeFor(other.email, later));
  await expect(plain.getByTestId('signed-in-as')).toContainText(other.username);
  await demoSignOut(plain);
  await plain.getByTestId('demo-sign-in').click();
  await signIn(plain, other.email, other.password);
  await expect(plain.getByTestId('signed-in-as')).toContainText(other.username);

  const log = hits(proxy);
  await test.info().attach('nginx-access.log', { body: proxy.accessLog(), contentType: 'text/plain' });
  const served = new Set(log.map((h) => h.upstream));
  expect([...served].sort()).toEqual(instances.map((i) => `127.0.0.1:${i.port}`).sort());
  expect(log.filter((h) => h.status >= 500), 'answers >= 500').toEqual([]);
  expect(log.filter((h) => h.target.startsWith('/_next/') && h.status !== 200), 'assets one instance named and the other did not have').toEqual([]);
  // Round robin is blind to flows: some forms come back to the other instance (all but certain
  // over a dozen forms); the next test makes it happen on purpose, both ways.
  expect(crossInstancePosts(log).length, 'form posts answered by the instance that did not draw the form').toBeGreaterThanOrEqual(1);
});

test('a form drawn by either build is accepted by the other, both ways (no JavaScript)', async ({ deployment }) => {
  const { instances, url } = deployment;
  const origins = instances.map((i) => i.origin);
  for (const first of [0, 1]) {
    // Requests alternate between the two: the form comes from one, its post goes to the other.
    const b = new FlowBrowser({ issuer: url, instances: origins, first });
    const page = await openSignUp(b, { clientId: 'spa', redirectUri: SPA_REDIRECT_URI });
    const user = freshUser('cross');
    const answer = await postSignUp(b, page, { ...user, password: `a form from the other build ${randomBytes(3).toString('hex')}` });
    expect(answer.instance, 'posted to the other instance').not.toBe(page.instance);
    expect(answer.status, describeAnswer(answer)).toBe(303);
    expect(screenOf(answer)).toBe('confirm');
  }
});
