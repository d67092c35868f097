import { ALICE, RP_REDIRECT_URI, expect, test } from '../fixtures/foyer';
import { describeAnswer, FlowBrowser, openScreen, type TestClient } from '../fixtures/http-flow';

/**
 * Issue 10, finding 8: the CSRF token is rotated when a user signs in, so a token planted in the
 * browser or seen before the sign-in (login CSRF, a shared machine) is worth nothing after it.
 */

const RP: TestClient = { clientId: 'rp', redirectUri: RP_REDIRECT_URI };
const CSRF_COOKIE = 'foyer.csrf'; // PUBLIC_URL is http here: no __Host- prefix

test('signing in replaces the CSRF token; a form carrying the old one is refused', async ({ foyer }) => {
  const b = new FlowBrowser({ issuer: foyer.url });
  const login = await openScreen(b, RP, 'login');
  const before = b.jar.get(CSRF_COOKIE);
  expect(before).toEqual(expect.any(String));

  const signedIn = await b.submit(login, 'login-form', { identifier: ALICE.username, password: ALICE.password });
  expect(signedIn.status, describeAnswer(signedIn)).toBe(303);
  expect(b.jar.get(CSRF_COOKIE)).toBeUndefined();
  expect((await b.open(signedIn.location!)).location).toMatch(new RegExp(`^${RP_REDIRECT_URI}\\?code=`));

  // The next page gets a new token, and its forms carry it.
  const account = await b.open('/en/account');
  expect(account.path).toBe('/en/account');
  const after = b.jar.get(CSRF_COOKIE);
  expect(after).toEqual(expect.any(String));
  expect(after).not.toBe(before);
  const [target, fields] = b.fill(account, 'sign-out-form', {});
  expect(fields).toContainEqual(['csrf', after]);

  // The token known before the sign-in no longer passes.
  const stale = await b.request('POST', target, fields.map(([k, v]): [string, string] => [k, k === 'csrf' ? before! : v]));
  expect(stale.status, describeAnswer(stale)).toBe(403);
});
