import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { RP_CLIENT_SECRET, RP_REDIRECT_URI, expect, repoRoot, test, type Foyer, type SmtpSink } from '../fixtures/foyer';
import { authorizeEntry, describeAnswer, FlowBrowser, postSignUp, type Answer, type TestClient } from '../fixtures/http-flow';
import { freshUser, GOOD_PASSPHRASE } from '../fixtures/flows';

/**
 * Issue 10, finding 2: a password reset or change must end what an attacker may already hold.
 * Each user is new (the worker's shared pool keeps its seeded users' passwords). Browsers are
 * plain HTTP without JavaScript (http-flow): the forms are posted as rendered.
 */

const RP: TestClient = { clientId: 'rp', redirectUri: RP_REDIRECT_URI, scope: 'openid email' };
const NEW_PASSPHRASE = 'marble-lantern-harvest-Orbit-58';

type Tokens = { access_token: string; refresh_token: string };

/** Follows an answer's redirects while they stay on the issuer; the last answer (maybe a redirect to the app). */
async function follow(foyer: Foyer, b: FlowBrowser, a: Answer): Promise<Answer> {
  return a.status >= 300 && a.status < 400 && a.location?.startsWith(`${foyer.url}/`) ? b.open(a.location) : a;
}

async function tokenRequest(foyer: Foyer, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${foyer.url}/oauth2/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`rp:${RP_CLIENT_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const refresh = (foyer: Foyer, t: Tokens) => tokenRequest(foyer, { grant_type: 'refresh_token', refresh_token: t.refresh_token });

async function userinfo(foyer: Foyer, t: Tokens): Promise<number> {
  return (await fetch(`${foyer.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${t.access_token}` } })).status;
}

/**
 * The app's authorization request in browser `b`: 'code' when Foyer answers with a code at once
 * (a live session), 'login' when it shows the sign-in screen.
 */
async function authorize(b: FlowBrowser): Promise<{ outcome: 'code' | 'login' | string; answer: Answer; verifier: string }> {
  const { url, verifier } = authorizeEntry(RP, 'login');
  const answer = await b.open(url.replace(/^\/login\?/, '/oauth2/authorize?'));
  const code = answer.location?.startsWith(RP_REDIRECT_URI) ? new URL(answer.location).searchParams.get('code') : null;
  const outcome = code ? 'code' : answer.status === 200 && /^\/en\/login\?uid=/.test(answer.path) ? 'login' : describeAnswer(answer);
  return { outcome, answer, verifier };
}

/** The code the app was sent in `answer`, exchanged for tokens. */
async function tokensFrom(foyer: Foyer, answer: Answer, verifier: string): Promise<Tokens> {
  const code = answer.location?.startsWith(RP_REDIRECT_URI) ? new URL(answer.location).searchParams.get('code') : null;
  if (!code) throw new Error(`no code for the app: ${describeAnswer(answer)}`);
  const t = await tokenRequest(foyer, { grant_type: 'authorization_code', code, redirect_uri: RP_REDIRECT_URI, code_verifier: verifier });
  expect(t.status, JSON.stringify(t.body)).toBe(200);
  expect(t.body.refresh_token).toEqual(expect.any(String));
  return t.body as unknown as Tokens;
}

/** A new user signs up in `b` through the app, confirms the mailed code, and the app gets its tokens. */
async function signUpWithTokens(foyer: Foyer, smtp: SmtpSink, b: FlowBrowser) {
  const user = { ...freshUser('revoke'), password: GOOD_PASSPHRASE };
  const { url, verifier } = authorizeEntry(RP, 'signup');
  const signup = await b.open(url);
  const confirm = await follow(foyer, b, await postSignUp(b, signup, user));
  const code = await smtp.codeFor(user.email);
  const done = await follow(foyer, b, await b.submit(confirm, 'confirm-form', { code }));
  return { user, tokens: await tokensFrom(foyer, done, verifier) };
}

/** Signs in on the login screen `page` of browser `b`; the last answer of the redirects that follow. */
async function signIn(foyer: Foyer, b: FlowBrowser, page: Answer, identifier: string, password: string): Promise<Answer> {
  return follow(foyer, b, await b.submit(page, 'login-form', { identifier, password }));
}

/** What the attacker holds must be gone: refresh, userInfo, and a code without a password. */
async function expectEnded(foyer: Foyer, b: FlowBrowser, t: Tokens) {
  expect(await refresh(foyer, t)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  expect(await userinfo(foyer, t)).toBe(401);
  expect((await authorize(b)).outcome).toBe('login');
}

test('a password reset by forgot-password ends the refresh token, the access token and the browser session held elsewhere', async ({ foyer, smtp }) => {
  const attacker = new FlowBrowser({ issuer: foyer.url });
  const { user, tokens } = await signUpWithTokens(foyer, smtp, attacker);
  expect(await userinfo(foyer, tokens)).toBe(200);
  expect((await authorize(attacker)).outcome).toBe('code');

  // The owner, in another browser: forgot password, the mailed code, a new password.
  const owner = new FlowBrowser({ issuer: foyer.url });
  const login = (await authorize(owner)).answer;
  const uid = new URL(login.path, foyer.url).searchParams.get('uid');
  const forgot = await owner.open(`/en/forgot-password?uid=${uid}`);
  const sentAfter = Date.now();
  const reset = await follow(foyer, owner, await owner.submit(forgot, 'forgot-form', { identifier: user.email }));
  expect(reset.path).toMatch(/^\/en\/reset-password\?uid=/);
  const code = await smtp.codeFor(user.email, sentAfter);
  const after = await owner.submit(reset, 'reset-form', { code, password: NEW_PASSPHRASE });
  expect(after.error, describeAnswer(after)).toBeUndefined();
  expect(after.status, describeAnswer(after)).toBe(303);

  await expectEnded(foyer, attacker, tokens);
  // The owner signs in with the new password, and the app gets a code again.
  const again = await authorize(owner);
  expect(again.outcome).toBe('login');
  expect((await signIn(foyer, owner, again.answer, user.username, NEW_PASSPHRASE)).location).toMatch(new RegExp(`^${RP_REDIRECT_URI}\\?code=`));
});

test('a password change on the account page ends the other browser and its tokens; this browser stays signed in', async ({ foyer, smtp }) => {
  const other = new FlowBrowser({ issuer: foyer.url });
  const { user, tokens } = await signUpWithTokens(foyer, smtp, other);

  // This browser signs in to the account page, and the app gets tokens here too.
  const here = new FlowBrowser({ issuer: foyer.url });
  const accountLogin = await here.open('/en/account');
  expect(accountLogin.path).toMatch(/^\/en\/login\?uid=/);
  expect((await signIn(foyer, here, accountLogin, user.username, user.password)).path).toBe('/en/account');
  const app = await authorize(here);
  expect(app.outcome).toBe('code');
  const mine = await tokensFrom(foyer, app.answer, app.verifier);

  const form = await here.open('/en/account/password');
  const changed = await here.submit(form, 'change-password-form', { current_password: user.password, new_password: NEW_PASSPHRASE });
  expect(changed.location, describeAnswer(changed)).toMatch(/\/en\/account\?notice=password_changed$/);

  await expectEnded(foyer, other, tokens);
  // Kept: the account page, the app's tokens from this browser, and a code without a password.
  const account = await here.open('/en/account');
  expect(account.status).toBe(200);
  expect(account.path).toBe('/en/account');
  expect((await refresh(foyer, mine)).status).toBe(200);
  expect((await authorize(here)).outcome).toBe('code');
});

test('an admin\'s `foyer users sign-out` ends the user\'s browser sessions and tokens on the running server', async ({ foyer, smtp }) => {
  const b = new FlowBrowser({ issuer: foyer.url });
  const { user, tokens } = await signUpWithTokens(foyer, smtp, b);
  expect(await userinfo(foyer, tokens)).toBe(200);

  // The operator's command, a process of its own on the server's database.
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/foyer.mjs', 'users', 'sign-out', user.username], { cwd: repoRoot, env: { ...process.env, DATA_DIR: foyer.dataDir } });
  expect(stdout).toMatch(new RegExp(`^Signed ${user.username} out everywhere: 1 browser session\\(s\\) ended`));

  await expectEnded(foyer, b, tokens);
});
