import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import * as oidc from 'openid-client';
import type { Browser } from '@playwright/test';
import { signInThroughRp, startCallbackServer, type Callbacks } from './fixtures/callbacks';
import { ALICE, expect, repoRoot, startFoyer, test, type Foyer } from './fixtures/foyer';

/**
 * Signing-key rotation and per-client token lifetimes, seen from an outside relying party
 * (openid-client, jose) of a Foyer started for this file. The rotation is `foyer keys rotate`, run
 * as the operator would, against the server's data directory. Key retirement and
 * token expiry take an hour or more: server/oidc/keys.test.ts and lifetimes.test.ts prove them
 * with a controlled clock.
 */

const SECRET = 'keys-spec-client-secret-0123456789';
const LIFETIMES = { access_token_seconds: 900, id_token_seconds: 1200, refresh_token_seconds: 7200, refresh_token_idle_seconds: 3600 };
/** Long enough for this test to see the new key published and get tokens before it signs. */
const ACTIVATE_AFTER_SECONDS = 20;

let foyer: Foyer;
let callbacks: Callbacks;

test.beforeAll(async () => {
  callbacks = await startCallbackServer();
  foyer = await startFoyer({
    config: {
      pool: { name: 'Keys' },
      clients: [{ client_id: 'rp', client_secret: SECRET, redirect_uris: [callbacks.url], token_validity: LIFETIMES }],
      users: [{ ...ALICE, email_verified: true }],
    },
  });
});
test.afterAll(async () => {
  await foyer?.stop();
  callbacks?.stop();
});

const config = () => oidc.discovery(new URL(foyer.url), 'rp', undefined, oidc.ClientSecretPost(SECRET), { execute: [oidc.allowInsecureRequests] });

const signInAndGetTokens = async (browser: Browser) => signInThroughRp(browser, await config(), callbacks, ALICE);

const jwks = async () => ((await (await fetch(`${foyer.url}/.well-known/jwks.json`)).json()) as { keys: (JWK & { kid: string })[] }).keys;
const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;
const userInfoStatus = async (accessToken: string) => (await fetch(`${foyer.url}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;

test('a client with its own token lifetimes gets them: access, ID and refresh tokens, and the grant', async ({ browser }) => {
  const tokens = await signInAndGetTokens(browser);
  const access = decodeJwt(tokens.access_token);
  const id = decodeJwt(tokens.id_token!);
  expect(access.exp! - access.iat!).toBe(LIFETIMES.access_token_seconds);
  expect(tokens.expires_in).toBe(LIFETIMES.access_token_seconds);
  expect(id.exp! - id.iat!).toBe(LIFETIMES.id_token_seconds);

  // Refresh tokens are opaque: their expiry is what the server stored.
  const db = new Database(path.join(foyer.dataDir, 'foyer.db'), { readonly: true });
  try {
    const stored = (model: string, id: string) => {
      const row = db.prepare('select payload, expires_at from oidc_artifacts where model = ? and id = ?').get(model, id) as { payload: string; expires_at: number };
      // `iat` is in whole seconds, the stored expiry in milliseconds.
      return Math.floor(row.expires_at / 1000) - JSON.parse(row.payload).iat;
    };
    // A fresh refresh token lives the idle time, which is shorter than the absolute lifetime here.
    expect(stored('RefreshToken', tokens.refresh_token!)).toBe(LIFETIMES.refresh_token_idle_seconds);
    expect(stored('Grant', access.origin_jti as string)).toBe(LIFETIMES.refresh_token_seconds);
  } finally {
    db.close();
  }
});

test('keys rotate while a client holds tokens: the new key is published at once and signs after the delay; old tokens still verify', async ({ browser }) => {
  test.setTimeout(180_000);
  const held = await signInAndGetTokens(browser);
  const [oldKid] = (await jwks()).map((k) => k.kid);
  expect(kidOf(held.id_token!)).toBe(oldKid);
  expect(kidOf(held.access_token)).toBe(oldKid);

  // The operator's command, from a process of its own against the server's data directory.
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/foyer.mjs', 'keys', 'rotate', '--activate-after', String(ACTIVATE_AFTER_SECONDS), '--json'], {
    cwd: repoRoot,
    env: { ...process.env, DATA_DIR: foyer.dataDir, DATABASE_URL: '' },
  });
  const rotated = JSON.parse(stdout) as { kid: string; activatesAt: number };
  expect(rotated.kid).not.toBe(oldKid);

  // Published within the server's poll (a few seconds), beside the key in use.
  await expect.poll(async () => (await jwks()).map((k) => k.kid), { timeout: 10_000 }).toEqual([oldKid, rotated.kid]);
  expect((await jwks()).find((k) => k.kid === rotated.kid)?.key_ops).toEqual(['verify']);

  // Before it activates, tokens are still signed with the old key.
  const rp = await config();
  const before = await oidc.refreshTokenGrant(rp, held.refresh_token!);
  expect(Date.now(), 'the test got here before the new key activated').toBeLessThan(rotated.activatesAt);
  expect(kidOf(before.access_token)).toBe(oldKid);
  expect(kidOf(before.id_token!)).toBe(oldKid);

  // From its activation (and the server's next look) on, new tokens carry the new kid.
  let refreshToken = before.refresh_token!;
  await expect
    .poll(
      async () => {
        const next = await oidc.refreshTokenGrant(rp, refreshToken);
        refreshToken = next.refresh_token!;
        return kidOf(next.access_token);
      },
      { timeout: rotated.activatesAt - Date.now() + 15_000, intervals: [1_000] },
    )
    .toBe(rotated.kid);
  const after = await signInAndGetTokens(browser);
  expect(kidOf(after.id_token!)).toBe(rotated.kid);
  expect(kidOf(after.access_token)).toBe(rotated.kid);
  const published = await jwks();
  expect(published.filter((k) => !k.key_ops).map((k) => k.kid)).toEqual([rotated.kid]);

  // The old key's tokens still verify against the published keys and still pass userInfo.
  const keySet = createLocalJWKSet({ keys: published });
  for (const t of [held, before]) {
    await jwtVerify(t.id_token!, keySet, { issuer: foyer.url, audience: 'rp' });
    await jwtVerify(t.access_token, keySet, { issuer: foyer.url, typ: 'at+jwt' });
    expect(await userInfoStatus(t.access_token)).toBe(200);
  }
  await jwtVerify(after.access_token, keySet, { issuer: foyer.url, typ: 'at+jwt' });
  expect(await userInfoStatus(after.access_token)).toBe(200);
});
