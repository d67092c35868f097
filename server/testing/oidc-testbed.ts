/**
 * The OpenID provider as the runtime builds it (a live provider over the database's keys, our
 * userInfo), served on a loopback port, and a relying party driving it over real HTTP: the
 * authorization request, the sign-in finished as our pages finish it, the token endpoint.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, vi } from 'vitest';
import { parseSeed } from '../config/seed';
import type { Db } from '../db/connect';
import { finishLogin } from '../oidc/interaction';
import { testOutbox } from './outbox';
import { startLiveProvider, type LiveProvider } from '../oidc/live-provider';
import { createProvider } from '../oidc/provider';
import { userinfoHandler } from '../oidc/userinfo';
import { cognitoApi, isCognitoApiRequest } from '../oidc/cognito-api';
import { providerRevocation } from '../oidc/revocation';
import { createPool } from '../pool';
import { applySeedIfEmpty } from '../pool-config/apply';

export const BED_PASSWORD = 'violet tractor under seven lanterns';
const REDIRECT_URI = 'https://app.example/cb';

export interface OidcBed {
  issuer: string;
  live: LiveProvider;
  aliceId: string;
  /**
   * A full code flow for alice with `clientId` (its secret is `secretOf(clientId)`). With a
   * `browser` (its cookies), a second sign-in finds the provider's session and asks nothing.
   * `scope`: what the app asks for (default `openid email`).
   */
  signIn(clientId: string, browser?: Browser, scope?: string): Promise<Tokens>;
  /** The token endpoint's answer to a refresh. */
  refresh(clientId: string, refreshToken: string): Promise<{ status: number; body: Record<string, unknown> }>;
  userinfo(accessToken: string): Promise<number>;
  jwks(): Promise<{ keys: { kid: string; key_ops?: string[]; d?: string }[] }>;
  stop(): Promise<void>;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  expires_in: number;
}

/** A browser's cookies, by name. */
export type Browser = Map<string, string>;

export const secretOf = (clientId: string) => `secret-of-${clientId}-0123456789`;

/**
 * `clients`: client seeds (confidential, redirecting to REDIRECT_URI), e.g. with a token_validity;
 * one with `token_endpoint_auth_method: 'none'` is public (no secret). The server also answers
 * Cognito's user-pool API at `POST /` (server/oidc/cognito-api).
 */
export async function startOidcBed(db: Db, clients: Record<string, unknown>[]): Promise<OidcBed> {
  await applySeedIfEmpty(
    db,
    parseSeed({
      clients: clients.map((c) => ({ ...(c.token_endpoint_auth_method === 'none' ? {} : { client_secret: secretOf(String(c.client_id)) }), redirect_uris: [REDIRECT_URI], ...c })),
      users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, password: BED_PASSWORD }],
    }),
  );
  const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', revocation: providerRevocation() });
  const publicClients = new Set(clients.filter((c) => c.token_endpoint_auth_method === 'none').map((c) => String(c.client_id)));
  const aliceId = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const live = await startLiveProvider({
    db: db.kysely,
    // Only explicit refreshes: the tests say when instances look at the table.
    pollMs: 3_600_000,
    build: (keys) =>
      createProvider({
        issuer,
        db: db.kysely,
        pool,
        keys,
        cookieKeys: ['test-cookie-key'],
        renderPage: async (path) => ({ html: `error page ${path}`, headers: {} }),
      }),
  });
  const userinfo = userinfoHandler({ issuer, keys: () => live.keys, pool, db: db.kysely });
  const cognito = cognitoApi({ issuer, keys: () => live.keys, pool, db: db.kysely, handleOidc: live.handle });
  server.on('request', (req, res) => {
    if (isCognitoApiRequest(req.url ?? '', req.method)) void cognito.handle(req, res);
    else if (req.url?.startsWith('/oauth2/userInfo')) void userinfo(req, res);
    else live.handle(req, res);
  });

  const basic = (clientId: string) => `Basic ${Buffer.from(`${clientId}:${secretOf(clientId)}`).toString('base64')}`;
  const token = async (clientId: string, form: Record<string, string>) => {
    const open = publicClients.has(clientId);
    const res = await fetch(`${issuer}/oauth2/token`, {
      method: 'POST',
      headers: { ...(open ? {} : { authorization: basic(clientId) }), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(open ? { ...form, client_id: clientId } : form),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const keep = (browser: Browser, res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const at = pair.indexOf('=');
      browser.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const cookieOf = (browser: Browser) => [...browser].filter(([, v]) => v).map(([k, v]) => `${k}=${v}`).join('; ');

  return {
    issuer,
    live,
    aliceId,
    async signIn(clientId, browser = new Map(), scope = 'openid email') {
      const verifier = randomBytes(32).toString('base64url');
      const authorize = new URL(`${issuer}/oauth2/authorize`);
      for (const [k, v] of Object.entries({
        client_id: clientId,
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope,
        state: 'st',
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      })) authorize.searchParams.set(k, v);
      let answer = await fetch(authorize, { redirect: 'manual', headers: { cookie: cookieOf(browser) } });
      keep(browser, answer);
      const uid = new URL(answer.headers.get('location') ?? '', issuer).searchParams.get('uid');
      if (uid) {
        const resume = await finishLogin(live.current, { cookie: cookieOf(browser) }, uid, { accountId: aliceId, amr: ['pwd'] });
        if (!resume) throw new Error('the interaction was not found');
        answer = await fetch(resume, { redirect: 'manual', headers: { cookie: cookieOf(browser) } });
        keep(browser, answer);
      }
      const code = new URL(answer.headers.get('location') ?? '', issuer).searchParams.get('code');
      if (!code) throw new Error(`no code: ${answer.status} ${answer.headers.get('location')}`);
      const tokens = await token(clientId, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
      if (tokens.status !== 200) throw new Error(`token endpoint: ${tokens.status} ${JSON.stringify(tokens.body)}`);
      return tokens.body as unknown as Tokens;
    },
    refresh: (clientId, refreshToken) => token(clientId, { grant_type: 'refresh_token', refresh_token: refreshToken }),
    async userinfo(accessToken) {
      return (await fetch(`${issuer}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
    },
    async jwks() {
      return (await fetch(`${issuer}/.well-known/jwks.json`)).json();
    },
    async stop() {
      live.stop();
      await cognito.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * For a suite: the clock (Date only, so I/O still runs) set to `start` before each test and real
 * again after it; the beds started through the returned function are stopped after each test.
 */
export function bedsOnFakeClock(start: number): (db: Db, clients: Record<string, unknown>[]) => Promise<OidcBed> {
  const started: OidcBed[] = [];
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: start });
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((b) => b.stop()));
    vi.useRealTimers();
  });
  return async (db, clients) => {
    const bed = await startOidcBed(db, clients);
    started.push(bed);
    return bed;
  };
}
