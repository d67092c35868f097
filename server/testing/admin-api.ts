/**
 * The admin API through a real HTTP server on 127.0.0.1, with tokens signed by the pool's own
 * signing key (tests/server/admin): a seeded pool, `call` with the admin token, `problem` checks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import { parseSeed } from '../config/seed';
import { withRequestId } from '../http/request-id';
import type { Db } from '../db/connect';
import { privateKeys, readKeySet } from '../oidc/keys';
import { providerRevocation } from '../oidc/revocation';
import { createPool, type Limit } from '../pool';
import { ensureAccountClient } from '../pool/account/client';
import { applySeedIfEmpty } from '../pool-config/apply';
import { bearerAuthenticator, createAdminApi } from '../admin';
import { mintAdminToken, type MintOptions } from './admin-token';
import { testOutbox } from './outbox';

export const ISSUER = 'https://id.example.test';
export const PASSWORD = 'violet tractor under seven lanterns';

export type Api = Awaited<ReturnType<typeof start>>;

export async function start(db: Db, o: { failedAuthLimit?: Limit } = {}) {
  await applySeedIfEmpty(
    db,
    parseSeed({
      pool: { name: 'Admin test', custom_attributes: [{ name: 'custom:plan' }] },
      groups: [{ name: 'admins', precedence: 0 }, { name: 'staff' }],
      users: [{ username: 'alice', email: 'alice@example.test', email_verified: true, password: PASSWORD, attributes: { 'custom:plan': 'pro' }, groups: ['staff'] }],
    }),
  );
  await ensureAccountClient(db.kysely, ISSUER, Date.now());
  const outbox = testOutbox(db.kysely);
  const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', revocation: providerRevocation() });
  const keys = await privateKeys(db.kysely, (await readKeySet(db.kysely)).kids);
  const api = createAdminApi({ pool, issuer: ISSUER, authenticators: [bearerAuthenticator({ issuer: ISSUER, keys: () => keys })], failedAuthLimit: o.failedAuthLimit });
  // Each request named as server/main.ts names it (no proxy trusted).
  const server = http.createServer((req, res) => withRequestId(req, res, 0, () => void api.handle(req, res)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/api/v1`;
  const token = (o: Partial<MintOptions> = {}) => mintAdminToken(db.kysely, { issuer: ISSUER, ...o });
  const admin = await token();
  const call = async (method: string, path: string, o: { body?: unknown; raw?: string; type?: string; token?: string | null; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    const auth = o.token === undefined ? admin : o.token;
    if (auth) headers.authorization = `Bearer ${auth}`;
    if (o.body !== undefined || o.raw !== undefined) headers['content-type'] = o.type ?? 'application/json';
    const res = await fetch(`${base}${path}`, { method, headers, body: o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body)) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined, text };
  };
  return { db, pool, outbox, base, token, call, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export const problem = (r: { status: number; headers: Headers; json?: Record<string, unknown> }, status: number) => {
  expect(r.status).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.json).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
};

export async function withApi(open: () => Promise<Db>, fn: (api: Api) => Promise<void>) {
  const api = await start(await open());
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

