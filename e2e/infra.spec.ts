import nodemailer from 'nodemailer';
import { test, expect } from './fixtures/foyer';

/** Smoke test of the test infrastructure itself: the worker's server and mail sink. */

test('the server publishes its OpenID configuration', async ({ foyer, request }) => {
  const res = await request.get(`${foyer.url}/.well-known/openid-configuration`);
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/application\/json/);
  const discovery = (await res.json()) as { issuer: string; authorization_endpoint: string };
  expect(discovery.issuer).toBe(foyer.url);
  expect(discovery.authorization_endpoint).toMatch(/\/oauth2\/authorize$/);
});

test('the SMTP sink receives mail', async ({ smtp }) => {
  const to = `sink-${Date.now()}@example.test`;
  const before = Date.now() - 1;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({
      from: 'Foyer test <no-reply@example.test>',
      to,
      subject: 'Your code is 123456',
      // Long enough, and non-ASCII, so nodemailer uses quoted-printable.
      text: `Bonjour — votre code est 654321. ${'Ceci est une ligne très longue. '.repeat(5)}\nFin.`,
    });
  } finally {
    transport.close();
  }
  const mail = await smtp.waitFor(to);
  expect(mail.to).toEqual([to]);
  expect(mail.from).toContain('no-reply@example.test');
  expect(mail.subject).toBe('Your code is 123456');
  expect(mail.text).toContain('Bonjour — votre code est 654321.');
  expect(mail.text).toContain('Ceci est une ligne très longue. Ceci est une ligne très longue.');
  expect(mail.at).toBeGreaterThan(before);
  await expect(smtp.codeFor(to, before)).resolves.toBe('123456');
  expect(smtp.messages).toContain(mail);
});
