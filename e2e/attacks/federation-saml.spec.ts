import type { Browser } from '@playwright/test';
import { expect, SPA_REDIRECT_URI, test } from '../fixtures/foyer';
import { spaAuthorizeUrl } from '../fixtures/flows';
import { acsAnswer, expectRefused, newContext, samlUser, startSamlFederation, type SamlFederation } from '../fixtures/federation-saml';
import type { SamlScenario } from '../../server/testing/saml-idp';

/**
 * Forged, misaddressed, stale and replayed SAML answers: each is refused at the ACS with a
 * translated 4xx page and no Foyer session. The test IdP "Corp" (fixtures/federation-saml.ts)
 * answers an SP-initiated sign-in of the public client `spa` per `idp.scenario`.
 */

let fed: SamlFederation;
test.beforeAll(async () => {
  fed = await startSamlFederation();
});
test.afterAll(async () => {
  await fed?.stop();
});

/** Signs in through Corp with the IdP answering per `scenario`: refused with `code`. */
async function expectScenarioRefused(browser: Browser, scenario: SamlScenario, code: string) {
  const { foyer, idp } = fed;
  const context = await newContext(foyer, browser);
  const page = await context.newPage();
  samlUser(idp);
  idp.scenario = scenario;
  try {
    await page.goto(spaAuthorizeUrl(foyer.url, 'spa'));
    const answered = acsAnswer(foyer, page, 'GET');
    await page.getByTestId('idp-Corp').click();
    await expectRefused(page, code, await answered);
  } finally {
    idp.scenario = 'ok';
  }
  if (code === 'saml_bad_signature') await expect(page.getByTestId('federation-error')).toContainText('failed its signature check');
  await context.close();
}

test('SAML signature wrapping (sibling assertion): an unsigned assertion beside the signed one is refused', async ({ browser }) => {
  await expectScenarioRefused(browser, 'wrapped-sibling', 'saml_bad_signature');
});

test('SAML signature wrapping (copied signature): a forged assertion carrying a copied signature is refused', async ({ browser }) => {
  await expectScenarioRefused(browser, 'wrapped-copied-signature', 'saml_bad_signature');
});

test('SAML unsigned response: an answer with no signature is refused', async ({ browser }) => {
  await expectScenarioRefused(browser, 'unsigned', 'saml_unsigned');
});

test('SAML wrong audience: an assertion for another SP is refused', async ({ browser }) => {
  await expectScenarioRefused(browser, 'wrong-audience', 'saml_audience');
});

test('SAML expired assertion: a stale assertion is refused', async ({ browser }) => {
  await expectScenarioRefused(browser, 'expired', 'saml_expired');
});

test('SAML tampered signature: an assertion changed after signing is refused', async ({ browser }) => {
  await expectScenarioRefused(browser, 'tampered', 'saml_bad_signature');
});

test('SAML replay: a good answer is used once; posting it again from another browser is refused (409)', async ({ browser }) => {
  const { foyer, idp } = fed;
  const first = await newContext(foyer, browser);
  const p1 = await first.newPage();
  samlUser(idp);
  await p1.goto(spaAuthorizeUrl(foyer.url, 'spa'));
  const reachedApp = p1.waitForRequest((r) => r.url().startsWith(`${SPA_REDIRECT_URI}?`));
  await p1.getByTestId('idp-Corp').click();
  expect(new URL((await reachedApp).url()).searchParams.get('code')).toBeTruthy();
  await first.close();
  const second = await newContext(foyer, browser);
  const p2 = await second.newPage();
  const replayed = acsAnswer(foyer, p2, 'POST');
  await p2.goto(`${idp.url}/replay`);
  await expectRefused(p2, 'saml_replay', await replayed, 409);
  await second.close();
});
