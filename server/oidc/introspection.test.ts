import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload } from 'jose';
import { afterEach, expect, it } from 'vitest';
import { parsePoolConfig } from '../config/seed';
import { createPool } from '../pool';
import { applyPoolConfig } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { introspectionHandler } from './introspection';

const ISSUER = 'https://foyer.test';
const API = 'https://api.example';
const SECRET = 'machine-client-secret-0123456789';

async function rsaKey(kid: string): Promise<{ jwk: JWK; sign: (payload: JWTPayload, typ?: string) => Promise<string> }> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
  return { jwk, sign: (payload, typ = 'at+jwt') => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ }).sign(privateKey) };
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * The handler on a loopback port, the tokens signed here with the key it trusts: what oidc-provider
 * cannot issue on demand (expired tokens, other keys) is covered here; e2e/m2m.spec.ts covers the rest.
 */
describeEachDb('/oauth2/introspect', (open) => {
  async function setup() {
    const db = await open();
    const config = {
      resource_servers: [{ identifier: API, name: 'API', scopes: [{ name: 'read', description: 'Read' }] }],
      clients: [
        { client_id: 'svc', client_secret: SECRET, grant_types: ['client_credentials'], scope: `${API}/read` },
        { client_id: 'gone', client_secret: SECRET, grant_types: ['client_credentials'], scope: `${API}/read` },
      ],
    };
    await applyPoolConfig(db, parsePoolConfig(config, 'pool.json'));
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret' });
    const key = await rsaKey('k1');
    const server = http.createServer(introspectionHandler({ issuer: ISSUER, keys: () => [key.jwk], pool, db: db.kysely }));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/oauth2/introspect`;
    const introspect = async (token: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`svc:${SECRET}`).toString('base64')}` },
        body: new URLSearchParams({ token }).toString(),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const now = Math.floor(Date.now() / 1000);
    const claims = (over: JWTPayload = {}): JWTPayload => ({ iss: ISSUER, aud: API, scope: `${API}/read`, client_id: 'svc', token_use: 'access', iat: now, exp: now + 600, jti: 'j1', ...over });
    return { db, key, introspect, claims, now };
  }

  it('a good machine token is active; expired, foreign-key, wrong-type or wrong-issuer ones are not', async () => {
    const { key, introspect, claims, now } = await setup();
    const good = await introspect(await key.sign(claims()));
    expect(good).toEqual({ status: 200, body: expect.objectContaining({ active: true, client_id: 'svc', aud: API, scope: `${API}/read` }) });

    const inactive = { status: 200, body: { active: false } };
    expect(await introspect(await key.sign(claims({ iat: now - 1200, exp: now - 600 })))).toEqual(inactive);
    expect(await introspect(await key.sign(claims(), 'JWT'))).toEqual(inactive);
    expect(await introspect(await key.sign(claims({ iss: 'https://elsewhere.test' })))).toEqual(inactive);
    const stranger = await rsaKey('k1');
    expect(await introspect(await stranger.sign(claims()))).toEqual(inactive);
  });

  it('another client\'s token is not shown; a machine token whose client lost the grant is inactive', async () => {
    const { db, key, introspect, claims } = await setup();
    // svc may introspect its own tokens only (the API lists no introspection_clients).
    const ofGone = await key.sign(claims({ client_id: 'gone' }));
    expect((await introspect(ofGone)).body).toEqual({ active: false });

    const token = await key.sign(claims());
    expect((await introspect(token)).body.active).toBe(true);
    const row = await db.kysely.selectFrom('clients').select('metadata').where('client_id', '=', 'svc').executeTakeFirstOrThrow();
    const metadata = JSON.parse(row.metadata) as { grant_types: string[] };
    // Still the caller (it authenticates), but no longer allowed client_credentials: its tokens end.
    await db.kysely.updateTable('clients').set({ metadata: JSON.stringify({ ...metadata, grant_types: ['authorization_code'], redirect_uris: ['https://a.example/cb'] }) }).where('client_id', '=', 'svc').execute();
    expect((await introspect(token)).body).toEqual({ active: false });
  });

  it('a user token whose grant is gone is inactive', async () => {
    const { key, introspect, claims } = await setup();
    const token = await key.sign(claims({ sub: '00000000-0000-4000-8000-000000000000', origin_jti: 'no-such-grant' }));
    expect((await introspect(token)).body).toEqual({ active: false });
  });
});
