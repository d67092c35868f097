import { adminToken } from './fixtures/admin-token';
import { freshUser, startAtDemo } from './fixtures/flows';
import { signUp } from './fixtures/pages';
import { expect, test } from './fixtures/foyer';

/**
 * Custom text on the production server: overrides set through the admin API show on the hosted
 * login page in their locale only and in the mail of that locale, without a restart; deleted, the
 * catalogue's text is back.
 */
test('an override set through the admin API shows in its locale only, in its mail too; deleted, the catalogue is back', async ({ foyer, page, request, smtp }) => {
  const api = `${foyer.url}/admin/api/v1/custom-text`;
  const headers = { authorization: `Bearer ${await adminToken(foyer.dataDir, foyer.url)}` };
  const marker = `Willkommen ${Date.now().toString(36)}`;
  const heading = page.getByRole('heading', { level: 1 });

  await startAtDemo(page, foyer.url, 'de');
  const catalogueTitle = (await heading.textContent())!;
  expect(catalogueTitle).not.toBe(marker);

  const put = (key: string, text: string) => request.put(`${api}/de/${key}`, { headers, data: { text } });
  const keys = ['login.title', 'email.confirmSignUp.subject'];
  try {
    expect((await put('login.title', marker)).status()).toBe(200);
    expect((await put('email.confirmSignUp.subject', `{code} für {pool} (${marker})`)).status()).toBe(200);
    const refused = await put('forgot.title', 'Hallo {nope}');
    expect(refused.status()).toBe(400);
    expect((await refused.json()).errors[0]).toEqual({ pointer: '/text', detail: expect.stringContaining('{nope}'), code: 'extra_argument', params: { name: '{nope}', allowed: '' } });

    await startAtDemo(page, foyer.url, 'de');
    await expect(heading).toHaveText(marker);
    await startAtDemo(page, foyer.url, 'fr');
    await expect(heading).not.toHaveText(marker);

    // A sign-up in German: its confirmation mail has the German override.
    await startAtDemo(page, foyer.url, 'de', 'signup');
    const who = freshUser('text');
    const since = Date.now();
    await signUp(page, { ...who, password: 'Correct-Horse-Battery-Staple-42' });
    const mail = await smtp.waitFor(who.email, (m) => m.at >= since);
    expect(mail.subject).toMatch(new RegExp(`^\\d{6} für Foyer test \\(${marker}\\)$`));
  } finally {
    // The server is the worker's: whatever was set is removed, so other tests see the catalogue.
    for (const key of keys) {
      const current = await request.get(`${api}/de/${key}`, { headers });
      if (current.status() === 200) expect((await request.delete(`${api}/de/${key}`, { headers: { ...headers, 'if-match': current.headers()['etag'] } })).status()).toBe(204);
    }
  }
  await startAtDemo(page, foyer.url, 'de');
  await expect(heading).toHaveText(catalogueTitle);
});
