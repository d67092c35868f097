import { test, expect, ALICE } from '../fixtures/foyer';
import { SPA } from '../fixtures/attack';
import { GOOD_PASSPHRASE, freshUser } from '../fixtures/flows';
import { FlowBrowser, openScreen, screenOf, type Answer } from '../fixtures/http-flow';

/**
 * Enumeration by message: for an account that exists and one that does not, each screen answers
 * alike (status, next screen, message), so the answers do not tell who has an account here.
 * (By timing: `npm run bench:enumeration`; medians within 10 % are too noisy to assert on a
 * shared 2-core CI machine.)
 */

/** What a person (or a script) can see of an answer: status, where it leads, what it says. */
const seen = (a: Answer) => ({ status: a.status, screen: screenOf(a) ?? (a.location ? new URL(a.location).pathname : undefined), error: a.error });

async function forgot(foyerUrl: string, identifier: string) {
  const b = new FlowBrowser({ issuer: foyerUrl });
  const login = await openScreen(b, SPA, 'login');
  const href = /href="([^"]*forgot-password[^"]*)"/.exec(login.body)![1].replace(/&amp;/g, '&');
  const page = await b.open(href);
  const posted = await b.submit(page, 'forgot-form', { identifier });
  return { b, posted };
}

test('enumeration by message: sign-in with a wrong password, known or unknown user, answers alike', async ({ foyer }) => {
  const answers = [];
  for (const identifier of [ALICE.username, freshUser('ghost').username, ALICE.email, freshUser('ghost').email]) {
    const b = new FlowBrowser({ issuer: foyer.url });
    const page = await openScreen(b, SPA, 'login');
    answers.push(seen(await b.submit(page, 'login-form', { identifier, password: 'Not-The-Password-123456' })));
  }
  expect(answers[0].error).toBeTruthy();
  for (const a of answers) expect(a).toEqual(answers[0]);
});

test('enumeration by message: forgot password, known or unknown account, answers alike', async ({ foyer }) => {
  const known = seen((await forgot(foyer.url, ALICE.email)).posted);
  const unknown = seen((await forgot(foyer.url, freshUser('ghost').email)).posted);
  expect(known.screen).toBe('reset-password');
  expect(unknown).toEqual(known);
});

test('enumeration by message: resending the reset code, known or unknown account, answers alike', async ({ foyer }) => {
  const answers = [];
  for (const identifier of [ALICE.email, freshUser('ghost').email]) {
    const { b, posted } = await forgot(foyer.url, identifier);
    const reset = await b.open(posted.location!);
    const [target, fields] = b.fill(reset, 'reset-form', {});
    answers.push(seen(await b.request('POST', target, [...fields, ['intent', 'resend']])));
  }
  expect(answers[0].status, 'the resend was taken, not refused').toBeLessThan(400);
  expect(answers[1]).toEqual(answers[0]);
});

test('enumeration by message: sign-up with a taken e-mail answers as with a new one', async ({ foyer }) => {
  const answers = [];
  for (const email of [ALICE.email, freshUser('new').email]) {
    const b = new FlowBrowser({ issuer: foyer.url });
    const page = await openScreen(b, SPA, 'signup');
    answers.push(seen(await b.submit(page, 'signup-form', { username: freshUser('su').username, email, password: GOOD_PASSPHRASE })));
  }
  expect(answers[0].screen).toBe('confirm');
  expect(answers[1]).toEqual(answers[0]);
});
