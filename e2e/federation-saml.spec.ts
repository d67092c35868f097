import { request as apiRequest, type Page } from '@playwright/test';
import { expect, test, type Foyer } from './fixtures/foyer';
import { spaAuthorizeUrl } from './fixtures/flows';
import { field, form, submit } from './fixtures/pages';
import { acsAnswer, expectRefused, newContext, samlUser, startSamlFederation, type SamlFederation } from './fixtures/federation-saml';
import type { SamlIdp } from '../server/testing/saml-idp';

/**
 * Federation with SAML 2.0 (see fixtures/federation-saml.ts for the two IdPs and the Foyer between
 * them). Forged, misaddressed, stale and replayed answers are refused in attacks/federation-saml.spec.ts.
 */

let fed: SamlFederation;
let idp: SamlIdp;
let partner: SamlIdp;
let foyer: Foyer;

test.beforeAll(async () => {
  fed = await startSamlFederation();
  ({ idp, partner, foyer } = fed);
});
test.afterAll(async () => {
  await fed?.stop();
});

async function demoLogin(page: Page) {
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
}

const claim = (page: Page, name: string) => page.getByTestId('id-token-claims').locator(`tr[data-claim="${name}"] td`);

test('SP-initiated sign-in through the button creates a user with mapped attributes; the next reuses it; sign-out signs out at the IdP', async ({ browser }) => {
  const context = await newContext(foyer, browser);
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
  const context = await newContext(foyer, browser);
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
  const context = await newContext(foyer, browser);
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
  const context = await newContext(foyer, browser, false);
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

  const other = await newContext(foyer, browser);
  const p = await other.newPage();
  const answered = acsAnswer(foyer, p, 'POST');
  await p.goto(`${partner.url}/idp-initiated`);
  await expectRefused(p, 'saml_unsolicited', await answered, 403);
  await expect(p.getByTestId('federation-error')).toHaveText(/does not accept sign-ins started at your organisation/);
  await other.close();
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
