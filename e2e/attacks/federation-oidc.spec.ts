import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/foyer';
import { claimJson, demoLogin, expectFederationError, newPage, startOidcFederation, upstreamUser, type OidcFederation } from '../fixtures/federation-oidc';

/**
 * Attacks on federation with OpenID Connect providers (RFC 9700 §4.4, §4.7): an answer from one
 * provider delivered for a request to another (mix-up), a replayed answer, and an ID token whose
 * signature was changed or removed. The upstreams and Foyer are set up by fixtures/federation-oidc.ts.
 */

let fed: OidcFederation;
test.beforeAll(async () => {
  fed = await startOidcFederation();
});
test.afterAll(async () => {
  await fed?.stop();
});

async function expectNoSession(page: Page) {
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.endsWith('foyer.session')), 'no Foyer session').toBe(false);
}

/**
 * Follows redirects from `url` with the browser context's cookies (its request API shares them),
 * and returns the first location that starts with `stop`, without requesting it. Playwright's
 * routes do not see redirected requests, so this is how a test holds an answer back.
 */
async function redirectsUntil(page: Page, url: string, stop: string): Promise<URL> {
  let at = new URL(url, fed.foyer.url).href;
  for (let hop = 0; hop < 10; hop++) {
    const r = await page.request.get(at, { maxRedirects: 0 });
    const location = r.headers().location;
    if (!location) throw new Error(`${at} answered ${r.status()} without a redirect`);
    const next = new URL(location, at);
    if (next.href.startsWith(stop)) return next;
    at = next.href;
  }
  throw new Error(`no redirect to ${stop}`);
}

test('IdP mix-up: a response naming another provider as issuer is refused for the request it claims to answer', async ({ browser }) => {
  const { foyer, up, other } = fed;
  const page = await newPage(foyer, browser);
  const victim = upstreamUser(up);
  const attacker = upstreamUser(other);
  up.loginAs = victim.sub;
  other.loginAs = attacker.sub;
  await demoLogin(page);
  const href = (name: string) => page.getByTestId(`idp-${name}`).getAttribute('href') as Promise<string>;

  // 1. A sign-in with Upstream, stopped on its way to Upstream: its state is bound to this browser.
  const toUpstream = await redirectsUntil(page, await href('Upstream'), `${up.issuer}/auth`);
  const upstreamState = toUpstream.searchParams.get('state')!;
  // 2. A sign-in with Other in the same browser: its answer (code, iss) held before Foyer sees it.
  const otherAnswer = (await redirectsUntil(page, await href('Other'), `${foyer.url}/oauth2/idpresponse`)).searchParams;
  expect(otherAnswer.get('iss')).toBe(other.issuer);

  // 3. Other's code and issuer delivered for the Upstream request: refused, no code exchanged.
  const mixed = new URLSearchParams({ code: otherAnswer.get('code')!, state: upstreamState, iss: other.issuer });
  const refused = await page.goto(`/oauth2/idpresponse?${mixed}`);
  expect(refused?.status()).toBe(400);
  await expectFederationError(page, 'wrong_issuer');
  await expectNoSession(page);

  // Other's answer for its own request is still good: only the mix-up was refused.
  await page.goto(`/oauth2/idpresponse?${otherAnswer}`);
  await expect(page).toHaveURL(/\/en\/demo$/);
  expect(((await claimJson(page, 'identities')) as { providerName: string }[])[0].providerName).toBe('Other');
  await page.context().close();
});

test('OIDC upstream response replay: an answer is accepted once; delivering it again is refused', async ({ browser }) => {
  const { foyer, up } = fed;
  const page = await newPage(foyer, browser);
  const account = upstreamUser(up);
  up.loginAs = account.sub;
  const callbacks: string[] = [];
  page.on('request', (r) => {
    if (r.url().startsWith(`${foyer.url}/oauth2/idpresponse`)) callbacks.push(r.url());
  });
  await demoLogin(page);
  await page.getByTestId('idp-Upstream').click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  const replayed = await page.goto(callbacks[0]);
  expect(replayed?.status()).toBe(400);
  await expectFederationError(page, 'bad_state');
  await page.context().close();
});

test('OIDC tampered / unsigned ID token: an ID token whose signature was changed, or that has none, is refused', async ({ browser }) => {
  const { foyer, up } = fed;
  for (const tamper of ['signature', 'unsigned'] as const) {
    const page = await newPage(foyer, browser);
    up.loginAs = upstreamUser(up).sub;
    up.tamper = tamper;
    try {
      await demoLogin(page);
      const answered = page.waitForResponse((r) => r.url().startsWith(`${foyer.url}/oauth2/idpresponse`));
      await page.getByTestId('idp-Upstream').click();
      expect((await answered).status(), tamper).toBe(400);
      await expectFederationError(page, 'invalid_response');
      await expectNoSession(page);
    } finally {
      up.tamper = 'none';
    }
    await page.context().close();
  }
});
