import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { test, type Browser, type Page } from '@playwright/test';
// Playwright's own `test`: this file starts its one Foyer itself (the fixtures' `test` would start a worker Foyer too).
import { expect, startFoyer, testConfig, type Foyer } from './fixtures/foyer';
import { expectAccessible } from './fixtures/a11y';
import { claim, demoLogin, newPage } from './fixtures/federation-oidc';
import { errorMessage, noticeMessage, signIn, submit } from './fixtures/pages';
import { addAuthenticatorApp, totpAt } from './fixtures/totp';
import { startUpstream, type Upstream } from '../server/testing/upstream-oidc';
import { startSamlIdp, type SamlIdp } from '../server/testing/saml-idp';
import { connectSqlite } from '../server/db/connect';

/**
 * The console's identity-provider and resource-server screens in Chromium (issue 12), with ONE
 * admin sign-in for the file: an OIDC provider added through the console form (pointing at an
 * upstream oidc-provider on loopback), its "test sign-in" (verified like a sign-in, signing nobody
 * in, the upstream asked to authenticate the user again), its button on the hosted sign-in page
 * once an app allows it; a SAML provider added from its IdP's metadata and tested against a SAML
 * IdP on loopback; and a resource server created, edited and deleted. Axe audits the provider
 * page (en) and a resource server's page (ar).
 */

const PASSWORD = 'Console-Admin-Passphrase-42';
const ROOT = { username: 'root', email: 'root@example.test', email_verified: true, password: PASSWORD, groups: ['admins'] };
const UPSTREAM_SECRET = randomBytes(24).toString('base64url');
const API = 'https://orders.example.test';
const API_PATH = encodeURIComponent(API);

let foyer: Foyer;
let up: Upstream;
let saml: SamlIdp;
test.beforeAll(async () => {
  [up, saml] = await Promise.all([startUpstream('corp'), startSamlIdp()]);
  foyer = await startFoyer({
    config: (url: string) => {
      up.registerClient({ client_id: 'foyer', client_secret: UPSTREAM_SECRET, redirect_uris: [`${url}/oauth2/idpresponse`] });
      const c = testConfig(url);
      return { ...c, pool: { ...c.pool, custom_attributes: [{ name: 'custom:department' }], mfa: { mode: 'OPTIONAL', factors: ['totp'] } }, users: [...c.users, ROOT] };
    },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  await up?.stop();
  await saml?.stop();
});

test.describe.configure({ mode: 'serial' });

let admin: Page | undefined;
/** The admin's console, signed in once for the file: an authenticator app set up, then the console's own sign-in. */
async function consoleAdmin(browser: Browser): Promise<Page> {
  if (admin) return admin;
  const page = await newPage(foyer, browser);
  await page.goto('/en/account');
  await signIn(page, ROOT.username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/account$/);
  const secret = await addAuthenticatorApp(page);
  // Signed in with a password only: the console, which requires a second factor of admins, asks to sign in again.
  await page.goto('/en/admin');
  await expect(page).toHaveURL(/\/en\/login\?uid=/);
  await signIn(page, ROOT.username, PASSWORD);
  await expect(page).toHaveURL(/\/en\/mfa\?uid=/);
  // The code of the next period: the one the set-up used is spent.
  await page.getByTestId('mfa-form').locator('[name="code"]').fill(totpAt(secret, Date.now() + 30_000));
  await submit(page, page.getByTestId('verify-code'));
  await expect(page).toHaveURL(/\/en\/admin$/);
  admin = page;
  return page;
}

/** How many users and provider links the pool has, read from Foyer's database. */
async function usersAndLinks(): Promise<{ users: number; links: number }> {
  const db = connectSqlite(path.join(foyer.dataDir, 'foyer.db'));
  try {
    const count = async (table: 'users' | 'user_identities') => Number((await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { users: await count('users'), links: await count('user_identities') };
  } finally {
    await db.close();
  }
}

/** Clicks "Test sign-in" and waits to be back on the provider's page with the result. */
async function testSignIn(page: Page, provider: 'Corp' | 'Okta' = 'Corp') {
  const sent = () => (provider === 'Corp' ? up.authorizationRequests.length : saml.authnRequests.length);
  const requests = sent();
  const before = page.url();
  await page.getByTestId('test-sign-in').click();
  // Back with a new result (the page may show the last one until then).
  await page.waitForURL((url) => url.href !== before && new RegExp(`/en/admin/identity-providers/${provider}\\?test=[A-Za-z0-9_-]{43}#test-sign-in$`).test(url.href));
  // It went to the provider for real.
  expect(sent()).toBe(requests + 1);
}

test('an admin adds an OIDC provider; its test sign-in shows the claims and mapped attributes and signs nobody in; once the app allows it, its button signs a user in', async ({ browser }) => {
  test.slow(); // the admin's sign-in, five round trips to the provider and an axe audit in both schemes
  const page = await consoleAdmin(browser);
  const sub = `corp-${Date.now().toString(36)}`;
  up.setAccount({ sub, email: `${sub}@corp.test`, email_verified: true, name: 'Dana Corp', department: 'Research' });

  // Added through the console's form, as the config's JSON.
  await page.goto('/en/admin/identity-providers');
  const provider = {
    name: 'Corp',
    type: 'oidc',
    display_name: 'Corp SSO',
    issuer: up.issuer,
    client_id: 'foyer',
    client_secret: UPSTREAM_SECRET,
    attribute_mapping: { email: 'email', email_verified: 'email_verified', name: 'name', 'custom:department': 'department' },
  };
  await page.getByTestId('create-provider-form').locator('[name="provider"]').fill(JSON.stringify(provider));
  await submit(page, page.getByTestId('create-provider'));
  await expect(page).toHaveURL(/\/en\/admin\/identity-providers\/Corp\?notice=saved$/);

  // The user refuses at the provider: the translated reason comes back to the console.
  up.loginAs = 'deny';
  await testSignIn(page);
  await expect(page.getByTestId('test-result-failed')).toHaveText('Test sign-in with Corp failed: the sign-in was cancelled or refused at the provider.');

  // A sign-in at the provider: what it sent, and what the pool would make of it.
  up.loginAs = sub;
  await testSignIn(page);
  const sent = up.authorizationRequests.at(-1)!;
  expect(sent.get('code_challenge_method')).toBe('S256');
  expect(sent.get('nonce')).toMatch(/^[A-Za-z0-9_-]{32,}$/);
  // A test proves the provider works now: it is asked to authenticate the user again (and the ID
  // token's auth_time is checked against max_age=0).
  expect(sent.get('prompt')).toBe('login');
  expect(sent.get('max_age')).toBe('0');
  await expect(page.getByTestId('test-result-ok')).toHaveText('Test sign-in with Corp succeeded.');
  await expect(page.getByTestId('test-subject')).toHaveText(sub);
  const mapped = (attribute: string) => page.locator(`[data-testid="test-mapped-row"][data-attribute="${attribute}"] td`).last();
  await expect(mapped('email')).toHaveText(`${sub}@corp.test`);
  await expect(mapped('email_verified')).toHaveText('true');
  await expect(mapped('custom:department')).toHaveText('Research');
  await expect(page.locator(`[data-testid="test-claim-row"][data-claim="iss"] td`)).toHaveText(up.issuer);
  await expect(page.getByTestId('test-outcome')).toHaveText(`A sign-in with this identity would create the user Corp_${sub}.`);
  await expectAccessible(page, 'en', 'console: a provider with its test result', { fieldsAbout: 'others' });

  // Checked exactly as a sign-in: an ID token whose signature does not verify is refused.
  up.tamper = 'signature';
  try {
    await testSignIn(page);
    await expect(page.getByTestId('test-result-failed')).toContainText("the provider's answer did not verify");
  } finally {
    up.tamper = 'none';
  }

  // Nobody was created by the tests.
  await page.goto(`/en/admin/users?by=email&q=${encodeURIComponent(`${sub}@`)}`);
  await expect(page.getByTestId('user-row')).toHaveCount(0);

  // The demo app allows it: its button is on the hosted sign-in page, and signs a user in.
  await page.goto('/en/admin/clients/demo');
  await page.getByTestId('save-client-form').locator('[name="supported_identity_providers"]').fill('COGNITO\nCorp');
  await submit(page, page.getByTestId('save-client'));
  await expect(noticeMessage(page)).toBeVisible();
  const user = await newPage(foyer, browser);
  await demoLogin(user);
  await expect(user.getByTestId('idp-Corp')).toHaveText('Continue with Corp SSO');
  await user.getByTestId('idp-Corp').click();
  await expect(user).toHaveURL(/\/en\/demo$/);
  // A sign-in asks the provider nothing more than a sign-in does.
  const signInRequest = up.authorizationRequests.at(-1)!;
  expect(signInRequest.get('prompt')).toBeNull();
  expect(signInRequest.get('max_age')).toBeNull();
  await expect(claim(user, 'cognito:username')).toHaveText(`Corp_${sub}`);
  await expect(claim(user, 'custom:department')).toHaveText('Research');
  await user.context().close();

  // Now the same identity would sign in its user. The admin's browser still has the provider's
  // session, yet the provider asked for the sign-in again, as the test told it to.
  await page.goto('/en/admin/identity-providers/Corp');
  const logins = up.logins;
  await testSignIn(page);
  await expect(page.getByTestId('test-outcome')).toHaveText(`A sign-in with this identity would sign in the linked user Corp_${sub}.`);
  expect(up.prompts.at(-1)).toEqual({ hadSession: true, reasons: expect.arrayContaining(['login_prompt']) });
  expect(up.logins).toBe(logins + 1);
});

test('an admin adds a SAML provider from its metadata; its test sign-in shows the attributes and what they map to, creates nobody, and refuses a wrong audience or an IdP that did not authenticate anew', async ({ browser }) => {
  test.slow(); // three round trips to the IdP on a loaded machine
  const page = await consoleAdmin(browser);
  const id = Date.now().toString(36);
  saml.user = { nameId: `okta-${id}`, sessionIndex: `_s-${id}`, attributes: { email: `okta-${id}@saml.test`, given_name: 'Sam', department: 'Research', groups: ['staff', 'ops'] } };

  // Added as the config's JSON pointing at the IdP's metadata URL, then its metadata pasted in.
  await page.goto('/en/admin/identity-providers');
  const provider = { name: 'Okta', type: 'saml', metadata_url: saml.metadataUrl, attribute_mapping: { email: 'email', given_name: 'given_name', 'custom:department': 'department', phone_number: 'phone' } };
  await page.getByTestId('create-provider-form').locator('[name="provider"]').fill(JSON.stringify(provider));
  await submit(page, page.getByTestId('create-provider'));
  await expect(page).toHaveURL(/\/en\/admin\/identity-providers\/Okta\?notice=saved$/);
  await page.getByTestId('metadata-form').locator('[name="metadata_xml"]').fill(saml.metadataXml);
  await submit(page, page.getByTestId('import-metadata'));
  await expect(page).toHaveURL(/\/en\/admin\/identity-providers\/Okta\?notice=imported$/);
  // The IdP learns Foyer's service provider from the metadata Foyer serves for it (once the
  // sign-in side's provider cache has the new record: within seconds).
  const spMetadata = () => fetch(`${foyer.url}/saml2/metadata/Okta`);
  await expect.poll(async () => (await spMetadata()).status).toBe(200);
  saml.registerMetadata(await (await spMetadata()).text());
  const before = await usersAndLinks();

  // An assertion for another audience is refused as at any sign-in, the reason translated.
  saml.scenario = 'wrong-audience';
  try {
    await testSignIn(page, 'Okta');
    await expect(page.getByTestId('test-result-failed')).toHaveText("Test sign-in with Okta failed: the assertion's audience is not this provider's SP entity ID.");
  } finally {
    saml.scenario = 'ok';
  }
  // A signed AuthnRequest asking the IdP to authenticate the user anew.
  expect(saml.authnRequests.at(-1)).toMatchObject({ signed: true, forceAuthn: true, hadSession: false });

  await testSignIn(page, 'Okta');
  // The browser has the IdP's session now; the request still asks for a new authentication.
  expect(saml.authnRequests.at(-1)).toMatchObject({ signed: true, forceAuthn: true, hadSession: true });
  await expect(page.getByTestId('test-result-ok')).toHaveText('Test sign-in with Okta succeeded.');
  await expect(page.getByTestId('test-subject')).toHaveText(`okta-${id}`);
  const claimRow = (name: string) => page.locator(`[data-testid="test-claim-row"][data-claim="${name}"] td`);
  await expect(claimRow('email')).toHaveText(`["okta-${id}@saml.test"]`);
  await expect(claimRow('groups')).toHaveText('["staff","ops"]');
  const mapped = (attribute: string) => page.locator(`[data-testid="test-mapped-row"][data-attribute="${attribute}"] td`).last();
  await expect(mapped('email')).toHaveText(`okta-${id}@saml.test`);
  await expect(mapped('given_name')).toHaveText('Sam');
  await expect(mapped('custom:department')).toHaveText('Research');
  await expect(mapped('phone_number')).toHaveText('(not received or not valid)');
  await expect(page.getByTestId('test-outcome')).toHaveText(`A sign-in with this identity would create the user Okta_okta-${id}.`);

  // An IdP that ignores ForceAuthn and answers from its session of ten minutes ago (AuthnInstant)
  // fails the test, as an OpenID provider that ignores max_age=0 does.
  saml.authenticatedAt = Date.now() - 10 * 60_000;
  try {
    await testSignIn(page, 'Okta');
    await expect(page.getByTestId('test-result-failed')).toHaveText(
      "Test sign-in with Okta failed: the provider's answer did not verify (signature, nonce, state, PKCE, code refused, or no new sign-in according to its auth_time or SAML AuthnInstant: the provider reused its session instead of asking again).",
    );
  } finally {
    saml.authenticatedAt = undefined;
  }

  // Nobody was created or linked.
  expect(await usersAndLinks()).toEqual(before);
});

test('an admin creates a resource server with scopes, edits it and deletes it after confirming', async ({ browser }) => {
  const page = await consoleAdmin(browser);
  await page.goto('/en/admin/resource-servers');
  const create = page.getByTestId('create-resource-server-form');
  await create.locator('[name="identifier"]').fill(API);
  await create.locator('[name="name"]').fill('Orders');
  await create.locator('[name="scopes"]').fill('read Read orders\nwrite Change orders');
  await submit(page, page.getByTestId('create-resource-server'));
  await expect(page).toHaveURL(new RegExp(`/en/admin/resource-servers/${API_PATH}\\?notice=saved$`));

  const form = page.getByTestId('save-resource-server-form');
  await expect(form.locator('[name="scopes"]')).toHaveValue('read Read orders\nwrite Change orders');
  await form.locator('[name="name"]').fill('Orders API');
  await form.locator('[name="scopes"]').fill('read Read orders\nwrite Change orders\nrefund Refund an order');
  await submit(page, page.getByTestId('save-resource-server'));
  await expect(errorMessage(page)).toHaveCount(0);
  await expect(noticeMessage(page)).toBeVisible();
  await page.reload();
  await expect(form.locator('[name="name"]')).toHaveValue('Orders API');
  await expect(form.locator('[name="scopes"]')).toHaveValue('read Read orders\nwrite Change orders\nrefund Refund an order');

  await page.goto(`/ar/admin/resource-servers/${API_PATH}`);
  await expect(page.locator('main h1')).toBeVisible();
  await expectAccessible(page, 'ar', 'console: a resource server', { fieldsAbout: 'others' });

  await page.goto(`/en/admin/resource-servers/${API_PATH}`);
  await page.getByTestId('resource-server-delete').click();
  await expect(page.getByTestId('confirm')).toContainText(`Delete the resource server ${API}?`);
  await submit(page, page.getByTestId('confirm-yes'));
  await expect(page).toHaveURL(/\/en\/admin\/resource-servers\?notice=deleted$/);
  await expect(page.getByTestId('resource-server-row').filter({ hasText: API })).toHaveCount(0);
});
