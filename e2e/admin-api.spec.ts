import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { adminToken } from './fixtures/admin-token';
import { expect, repoRoot, test } from './fixtures/foyer';

/**
 * The admin API on the production server: a token as the client_credentials grant issues it
 * drives a create / get / update (If-Match) / stale 412 / delete round trip, and the operator's
 * `foyer config export` sees what the API wrote.
 */

async function configExport(dataDir: string): Promise<{ users: { username: string; attributes: Record<string, string>; enabled: boolean }[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/foyer.mjs', 'config', 'export'], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
  });
  return JSON.parse(stdout) as Awaited<ReturnType<typeof configExport>>;
}

test('admin API round trip: create, get, update with If-Match, a stale ETag refused, delete; config export reads it', async ({ foyer, request }) => {
  const api = `${foyer.url}/admin/api/v1`;
  const token = await adminToken(foyer.dataDir, foyer.url);
  const headers = { authorization: `Bearer ${token}` };
  const username = `api-${Date.now()}`;

  const unauthenticated = await request.get(`${api}/users/${username}`);
  expect(unauthenticated.status()).toBe(401);
  expect(unauthenticated.headers()['content-type']).toMatch(/^application\/problem\+json/);
  expect(unauthenticated.headers()['www-authenticate']).toMatch(/^Bearer /);

  const created = await request.post(`${api}/users`, { headers, data: { username, email: `${username}@example.test`, attributes: { name: 'Api Person' } } });
  expect(created.status()).toBe(201);
  expect(created.headers()['x-request-id']).toBeTruthy();
  expect(created.headers()['x-content-type-options']).toBe('nosniff');

  const got = await request.get(`${api}/users/${username}`, { headers });
  expect(got.status()).toBe(200);
  expect(await got.json()).toMatchObject({ username, email: `${username}@example.test`, enabled: true, attributes: { name: 'Api Person' } });
  const etag = got.headers()['etag'];
  expect(etag).toBeTruthy();

  const updated = await request.patch(`${api}/users/${username}`, { headers: { ...headers, 'if-match': etag }, data: { attributes: { name: 'Renamed Person' } } });
  expect(updated.status()).toBe(200);
  const stale = await request.patch(`${api}/users/${username}`, { headers: { ...headers, 'if-match': etag }, data: { attributes: { name: 'Lost Update' } } });
  expect(stale.status()).toBe(412);
  expect(await stale.json()).toMatchObject({ status: 412, title: expect.any(String) });

  const exported = await configExport(foyer.dataDir);
  expect(exported.users.find((u) => u.username === username)).toMatchObject({ attributes: { name: 'Renamed Person' }, enabled: true });

  const audit = await request.get(`${api}/audit?resource_id=${username}`, { headers });
  const entries = (await audit.json()).items as { action: string; request_id: string }[];
  expect(entries.map((e) => e.action)).toEqual(['user.update', 'user.create']);
  // Each row names the request that wrote it, as the server's answer did.
  expect(entries.map((e) => e.request_id)).toEqual([updated.headers()['x-request-id'], created.headers()['x-request-id']]);

  const deleted = await request.delete(`${api}/users/${username}`, { headers: { ...headers, 'if-match': updated.headers()['etag'] } });
  expect(deleted.status()).toBe(204);
  expect((await request.get(`${api}/users/${username}`, { headers })).status()).toBe(404);
  expect((await configExport(foyer.dataDir)).users.some((u) => u.username === username)).toBe(false);
});
