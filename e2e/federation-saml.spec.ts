import { request as apiRequest, type Browser, type BrowserContext, type Page, type Response } from '@playwright/test';
import { expect, SPA_REDIRECT_URI, startFoyer, test, testConfig, type Foyer } from './fixtures/foyer';
import { spaAuthorizeUrl } from './fixtures/flows';
import { field, form, submit } from './fixtures/pages';
import { startSamlIdp, type SamlIdp, type SamlScenario } from '../server/testing/saml-idp';

/**
 * Federation with SAML 2.0: a test IdP on loopback ("Corp": HTTP-Redirect, IdP-initiated sign-in
 * allowed, domain saml.test) and a second one ("Partner": HTTP-POST only, IdP-initiated refused),
 * one Foyer for the file. Each IdP signs in `idp.user` at once, answering per `idp.scenario`.
 */

let idp: SamlIdp;
let partner: SamlIdp;
let foyer: Foyer;

test.beforeAll(async () => {
  [idp, partner] = await Promise.all([startSamlIdp(), startSamlIdp({ ssoBindings: ['post'] })]);
  foyer = await startFoyer({
    config: (url: string) => {
      const c = testConfig(url);
      const providers = ['COGNITO', 'Corp', 'Partner'];
      return {
        ...c,
        pool: { ...c.pool, custom_attributes: [{ name: 'custom:department' }] },
        identity_providers: [
          {
            name: 'Corp',
            type: 'saml',
            display_name: 'Corp SSO',
            metadata_url: idp.metadataUrl,
            attribute_mapping: { email: 'email', given_name: 'given_name', family_name: 'family_name', 'custom:department': 'department' },
            idp_identifiers: ['saml.test'],
            idp_initiated: true,
            idp_initiated_login: { client_id: 'demo', login_uri: `${url}/api/demo/login` },
          },
          { name: 'Partner', type: 'saml', metadata_xml: partner.metadataXml, request_binding: 'HTTP-POST', attribute_mapping: { email: 'email' } },
        ],
        clients: c.clients.map((cl) => (cl.client_id === 'demo' || cl.client_id === 'spa' ? { ...cl, supported_identity_providers: providers } : cl)),
      };
    },
  });
  // Each IdP learns Foyer's SP from the metadata Foyer serves for its provider.
  for (const [name, i] of [['Corp', idp], ['Partner', partner]] as const) {
    const res = await fetch(`${foyer.url}/saml2/metadata/${name}`);
    i.registerMetadata(await res.text());
  }
});
test.afterAll(async () => {
  await foyer?.stop();
  await Promise.all([idp?.stop(), partner?.stop()]);
});

let counter = 0;
/** An IdP user no other test uses (e-mail in the saml.test domain, persistent-looking NameID). */
function samlUser(i: SamlIdp, department = 'Research') {
  const id = `${Date.now().toString(36)}-${counter++}`;
  const user = {
    nameId: `user-${id}`,
    sessionIndex: `_session-${id}`,
    attributes: { email: `user-${id}@saml.test`, given_name: 'Sam', family_name: `L ${id}`, department, groups: ['staff'] },
  };
  i.user = user;
  return user;
}

async function newContext(browser: Browser, javaScriptEnabled = true): Promise<BrowserContext> {
  return browser.newContext({ baseURL: foyer.url, javaScriptEnabled });
}

async function demoLogin(page: Page) {
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
}

const claim = (page: Page, name: string) => page.getByTestId('id-token-claims').locator(`tr[data-claim="${name}"] td`);


/** The translated error page, its status a 4xx, and no Foyer session in the browser. */
async function expectRefused(page: Page, code: string, response: Response, status?: number) {
  await expect(page.getByTestId('federation-error')).toHaveAttribute('data-code', code);
  if (status) expect(response.status(), `status of the ${code} page`).toBe(status);
  expect(response.status()).toBeGreaterThanOrEqual(400);
  expect(response.status()).toBeLessThan(500);
  const cookies = await page.context().cookies();
  expect(cookies.some((c) => c.name.endsWith('foyer.session')), 'no Foyer session').toBe(false);
}

/** The ACS's answer to the browser (the GET after the POST for SP-initiated sign-ins). */
const acsAnswer = (page: Page, method: 'GET' | 'POST') =>
  page.waitForResponse((r) => r.url().startsWith(`${foyer.url}/saml2/idpresponse`) && r.request().method() === method);

test('SP-initiated sign-in through the button creates a user with mapped attributes; the next reuses it; sign-out signs out at the IdP', async ({ browser }) => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const user = samlUser(idp);
  await demoLogin(page);
  await expect(page.getByTestId('idp-Corp')).toHaveText('Continue with Corp SSO');
  await page.getByTestId('idp-Corp').click();
  await expect(page).toHaveURL(/\/en\/demo$/);

  const sent = idp.authnRequests.at(-1)!;
  expect(sent).toMatchObject({ binding: 'redirect', signed: true, acsUrl: `${foyer.url}/saml2/idpresponse`, issuer: `${foyer.url}/saml2/metadata/Corp` });
  expect(sent.relayState).toMatch(/^[A-Za-z0-9_-]{43}$/);

  await expect(claim(page, 'cognito:username')).toHaveText(`Corp_${user.nameId}`);
  await expect(claim(page, 'email')).toHaveText(user.attributes.email);
  await expect(claim(page, 'given_name')).toHaveText('Sam');
  await expect(claim(page, 'custom:department')).toHaveText('Research');
  const identities = JSON.parse((await claim(page, 'identities').textContent()) ?? 'null') as Record<string, unknown>[];
  expect(identities).toEqual([expect.objectContaining({ userId: user.nameId, providerName: 'Corp', providerType: 'SAML', issuer: idp.entityId })]);
  const sub = await claim(page, 'sub').textContent();

  // Signing out of the app sends a signed LogoutRequest for this NameID and SessionIndex.
  const before = idp.logoutRequests.length;
  await page.getByTestId('demo-sign-out').click();
  await expect(page).toHaveURL(/\/en\/demo\?signed_out=1$/);
  expect(idp.logoutRequests.length).toBe(before + 1);
  expect(idp.logoutRequests.at(-1)).toMatchObject({ signed: true, nameId: user.nameId, sessionIndex: user.sessionIndex });

  // The next sign-in finds the same user, its attributes refreshed.
  idp.user = { ...user, attributes: { ...user.attributes, department: 'Sales' } };
  await page.getByTestId('demo-sign-in').click();
  await page.getByTestId('idp-Corp').click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  await expect(claim(page, 'sub')).toHaveText(sub!);
  await expect(claim(page, 'custom:department')).toHaveText('Sales');
  await context.close();
});

test('an e-mail address in the provider\'s domain, typed on the login page, goes to that provider', async ({ browser }) => {
  const context = await newContext(browser);
  const page = await context.newPage();
  const user = samlUser(idp);
  const before = idp.authnRequests.length;
  await demoLogin(page);
  await field(page, 'login-form', 'identifier').fill(user.attributes.email);
  await submit(page, form(page, 'login-form').getByTestId('sign-in'));
  await expect(page).toHaveURL(/\/en\/demo$/);
  expect(idp.authnRequests.length).toBe(before + 1);
  await expect(claim(page, 'email')).toHaveText(user.attributes.email);
  await context.close();
});

test('IdP-initiated sign-in reaches the configured app; the IdP\'s logout request ends the Foyer session', async ({ browser }) => {
  const context = await newContext(browser);
  const page = await context.newPage();
  // Parked for the demo app only: another app's sign-in in this browser drops it and shows its options.
  // (Posted by the context's request API, which shares the browser's cookies, to stop at the redirect.)
  samlUser(idp);
  const parked = await context.request.post('/saml2/idpresponse', { form: { SAMLResponse: await idp.response({ inResponseTo: null }) }, maxRedirects: 0 });
  expect(parked.status()).toBe(303);
  expect(parked.headers().location).toBe(`${foyer.url}/api/demo/login?iss=${encodeURIComponent(foyer.url)}`);
  await page.goto(spaAuthorizeUrl(foyer.url, 'spa'));
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await expect(form(page, 'login-form')).toBeVisible();
  expect((await context.cookies()).some((c) => c.name.endsWith('foyer.session') || c.name.endsWith('foyer.fedpark'))).toBe(false);

  const user = samlUser(idp, 'Finance');
  const before = idp.authnRequests.length;
  await page.goto(`${idp.url}/idp-initiated`);
  await expect(page).toHaveURL(/\/en\/demo$/);
  expect(idp.authnRequests.length, 'no AuthnRequest was needed').toBe(before);
  await expect(claim(page, 'cognito:username')).toHaveText(`Corp_${user.nameId}`);
  await expect(claim(page, 'custom:department')).toHaveText('Finance');
  expect((await context.cookies()).some((c) => c.name.endsWith('foyer.session'))).toBe(true);

  // The IdP signs the user out: Foyer ends the session and answers with a signed LogoutResponse.
  const asked = idp.logoutRequest({ nameId: user.nameId, sessionIndex: user.sessionIndex });
  await page.goto(asked.url);
  await expect(page.getByRole('heading', { name: 'Signed out' })).toBeVisible();
  expect(idp.logoutResponses.at(-1)).toMatchObject({ signed: true });
  expect(idp.logoutResponses.at(-1)!.xml).toContain(`InResponseTo="${asked.id}"`);
  // A new sign-in to the app is asked for again: no Foyer session is left.
  await page.goto('/api/demo/login');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await context.close();
});

test('HTTP-POST binding works without JavaScript; IdP-initiated sign-in is refused where not enabled', async ({ browser }) => {
  const context = await newContext(browser, false);
  const page = await context.newPage();
  samlUser(partner);
  await demoLogin(page);
  await page.getByTestId('idp-Partner').click();
  // Our page posting the AuthnRequest: a visible Continue button when scripts are off.
  await page.getByRole('button', { name: 'Continue' }).click();
  expect(partner.authnRequests.at(-1)).toMatchObject({ binding: 'post', signed: true });
  // The IdP's page posting the answer back.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(/\/en\/demo$/);
  await expect(claim(page, 'email')).toHaveText(partner.user.attributes.email as string);
  await context.close();

  const other = await newContext(browser);
  const p = await other.newPage();
  const answered = acsAnswer(p, 'POST');
  await p.goto(`${partner.url}/idp-initiated`);
  await expectRefused(p, 'saml_unsolicited', await answered, 403);
  await expect(p.getByTestId('federation-error')).toHaveText(/does not accept sign-ins started at your organisation/);
  await other.close();
});

test('forged, misaddressed, stale and replayed answers are refused with a translated 4xx page and no session', async ({ browser }) => {
  const refusals: [SamlScenario, string][] = [
    ['unsigned', 'saml_unsigned'],
    ['wrong-audience', 'saml_audience'],
    ['expired', 'saml_expired'],
    ['tampered', 'saml_bad_signature'],
    ['wrapped-sibling', 'saml_bad_signature'],
    ['wrapped-copied-signature', 'saml_bad_signature'],
  ];
  const context = await newContext(browser);
  const page = await context.newPage();
  try {
    for (const [scenario, code] of refusals) {
      samlUser(idp);
      idp.scenario = scenario;
      await page.goto(spaAuthorizeUrl(foyer.url, 'spa'));
      const answered = acsAnswer(page, 'GET');
      await page.getByTestId('idp-Corp').click();
      await expectRefused(page, code, await answered);
    }
  } finally {
    idp.scenario = 'ok';
  }
  await expect(page.getByTestId('federation-error')).toContainText('failed its signature check');
  await context.close();

  // A good answer is used once; posting it again (from another browser) is a replay.
  const first = await newContext(browser);
  const p1 = await first.newPage();
  samlUser(idp);
  await p1.goto(spaAuthorizeUrl(foyer.url, 'spa'));
  const reachedApp = p1.waitForRequest((r) => r.url().startsWith(`${SPA_REDIRECT_URI}?`));
  await p1.getByTestId('idp-Corp').click();
  expect(new URL((await reachedApp).url()).searchParams.get('code')).toBeTruthy();
  await first.close();
  const second = await newContext(browser);
  const p2 = await second.newPage();
  const replayed = acsAnswer(p2, 'POST');
  await p2.goto(`${idp.url}/replay`);
  await expectRefused(p2, 'saml_replay', await replayed, 409);
  await second.close();
});

test('SP metadata per provider; bad and oversized posts to the ACS get error pages', async () => {
  const api = await apiRequest.newContext({ baseURL: foyer.url });
  const meta = await api.get('/saml2/metadata/Corp');
  expect(meta.status()).toBe(200);
  expect(meta.headers()['content-type']).toBe('application/samlmetadata+xml');
  const xml = await meta.text();
  expect(xml).toContain(`entityID="${foyer.url}/saml2/metadata/Corp"`);
  expect(xml).toContain(`Location="${foyer.url}/saml2/idpresponse"`);
  expect(xml).toContain('AuthnRequestsSigned="true"');
  expect((await api.get('/saml2/metadata/Nobody')).status()).toBe(404);

  const garbage = await api.post('/saml2/idpresponse', { form: { SAMLResponse: 'not base64 at all!', RelayState: 'nothing' } });
  expect(garbage.status()).toBe(400);
  expect(await garbage.text()).toContain('data-code="saml_unknown_request"');
  const big = await api.post('/saml2/idpresponse', { form: { SAMLResponse: 'A'.repeat(500 * 1024) } });
  expect(big.status()).toBe(413);
  expect(await big.text()).toContain('data-code="request_too_large"');
  // A large but allowed answer is read (and refused for what it is, not for its size).
  const large = await api.post('/saml2/idpresponse', { form: { SAMLResponse: 'A'.repeat(340 * 1024) } });
  expect(large.status()).toBe(400);
  await api.dispose();
});
