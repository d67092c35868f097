import { test, expect, ALICE, startFoyer, testConfig, type Foyer } from '../fixtures/foyer';
import { SPA } from '../fixtures/attack';
import { authorizeEntry, FlowBrowser, describeAnswer, openScreen } from '../fixtures/http-flow';

/**
 * MFA bypass: with a second factor required, a browser that has only given the password must
 * get no code and no session by going to a later screen's URL, by resuming the authorization
 * (`/oauth2/authorize/<uid>`), by starting a new one, or by posting the password again.
 */

let foyer: Foyer;
test.beforeAll(async () => {
  foyer = await startFoyer({ config: (url: string) => ({ ...testConfig(url), pool: { ...testConfig(url).pool, mfa: { mode: 'REQUIRED' } } }) });
});
test.afterAll(async () => foyer?.stop());

test('MFA bypass by URL and by resuming the authorization: after the password alone, no code reaches the app', async () => {
  const b = new FlowBrowser({ issuer: foyer.url });
  const login = await openScreen(b, SPA, 'login');
  const uid = new URL(login.path, foyer.url).searchParams.get('uid')!;
  const posted = await b.submit(login, 'login-form', { identifier: ALICE.username, password: ALICE.password });
  const step = await b.open(posted.location!);
  expect(step.path, describeAnswer(step)).toMatch(/^\/en\/mfa\/setup\?uid=/);

  const attempts = [
    `/oauth2/authorize/${uid}`,
    `/en/consent?uid=${uid}`,
    `/en/mfa?uid=${uid}`,
    `/en/mfa/recovery-codes?uid=${uid}`,
    `/en/mfa/passkey?uid=${uid}`,
    `/en/new-password?uid=${uid}`,
    `/en/login?uid=${uid}`,
    authorizeEntry(SPA, 'login').url,
    `${authorizeEntry(SPA, 'login').url}&prompt=none`,
  ];
  for (const path of attempts) {
    const a = await b.open(path);
    const where = `${path} → ${describeAnswer(a)}`;
    expect(a.status, where).toBeLessThan(500);
    expect(a.location && new URL(a.location).searchParams.get('code'), where).toBeFalsy();
    expect(b.jar.get('foyer.session'), `${where}: a session after the password alone`).toBeUndefined();
  }
  // Posting the password step again lands on the second step again.
  const again = await b.open(`/en/login?uid=${uid}`);
  if (/data-testid="login-form"/.test(again.body)) {
    const reposted = await b.submit(again, 'login-form', { identifier: ALICE.username, password: ALICE.password });
    const landed = reposted.location ? await b.open(reposted.location) : reposted;
    expect(landed.location && new URL(landed.location).searchParams.get('code'), describeAnswer(landed)).toBeFalsy();
  }
  expect(b.jar.get('foyer.session')).toBeUndefined();
});
