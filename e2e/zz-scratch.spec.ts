import nodemailer from 'nodemailer';
import { test, expect, startFoyerExpectingFailure, ALICE, FORCED } from './fixtures/foyer';
import { signIn, signUp, enterCode, resendCode, expectError, setNewPassword } from './fixtures/pages';

test('qp raw', async ({ smtp }) => {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, ignoreTLS: true });
  await t.sendMail({ from: 'a@b.test', to: 'qp@example.test', subject: 'Héllo wörld — 123456 ✓', text: 'Grüße '.repeat(30) + '\ncode 999999' });
  const m = await smtp.waitFor('QP@example.test');
  console.log(m.raw.slice(0, 1200));
  console.log(JSON.stringify({ subject: m.subject, text: m.text }));
});

test('bad config', async () => {
  const r = await startFoyerExpectingFailure({ clients: [{ client_id: 'x', redirect_uris: ['nope'] }] });
  console.log(r);
  const r2 = await startFoyerExpectingFailure('{not json');
  console.log(r2);
});

test('alice signs in via demo', async ({ page }) => {
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, ALICE.username, 'wrong-password-xx');
  await expectError(page);
  await signIn(page, ALICE.email, ALICE.password);
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
  console.log(await page.getByTestId('signed-in-as').textContent());
});

test('sign up with resend', async ({ page, smtp }) => {
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-up').click();
  const email = `bob${Date.now()}@example.test`;
  await signUp(page, { username: `bob${Date.now()}`, email, password: 'Another-Long-Passphrase-77' });
  const c1 = await smtp.codeFor(email);
  const t = Date.now();
  await resendCode(page);
  const c2 = await smtp.codeFor(email, t);
  console.log({ c1, c2, n: smtp.messages.filter((m) => m.to.includes(email)).length });
  await enterCode(page, c2);
  await page.waitForLoadState();
  console.log(page.url());
});

test('forced', async ({ page }) => {
  await page.goto('/en/demo');
  await page.getByTestId('demo-sign-in').click();
  await signIn(page, FORCED.username, FORCED.password);
  await setNewPassword(page, 'Brand-New-Passphrase-For-Forced-9');
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
});

test('failing test attaches logs', async ({ foyer }) => {
  await fetch(`${foyer.url}/en/login`);
  expect(1).toBe(2);
});
