import { createHash, randomBytes } from 'node:crypto';
import type { PoolContext } from '../pool/context';
import { sealerFor } from '../secrets';

/**
 * Each redirect to a provider is remembered until its answer comes back, found by the hash of
 * the `state` it carried and bound to the browser (the hash of a random cookie) and to the
 * sign-in interaction it serves. It is used once: taking it marks it used (the row stays until it
 * expires, so the sign-in remembers it has been sent to a provider).
 */
const REQUEST_TTL_MS = 15 * 60_000;

export const hashOf = (value: string) => createHash('sha256').update(value).digest('base64url');
export const newBrowserKey = () => randomBytes(32).toString('base64url');

export interface PendingRequest {
  provider: string;
  uid: string;
  locale: string;
  /** The hash of the browser key that started it. */
  browser: string;
  /** Protocol data: OIDC nonce and PKCE verifier, SAML request id, ... */
  data: Record<string, unknown>;
  /** A response that arrived by POST (form_post), kept for the browser's GET. */
  response?: Record<string, string>;
  /** A console admin's test sign-in (./test-sign-in.ts): no interaction, nobody signed in. */
  test?: TestBinding;
  /** When it was saved (ms): the provider's answer to a test must show an authentication since. */
  createdAt: number;
}

/** What a test sign-in is bound to: the console session (its id) that started it. */
export interface TestBinding {
  session: string;
}

/** The test binding travels sealed with the protocol data, under a name no protocol uses. */
const TEST_KEY = '__test';

/**
 * The protocol data (PKCE verifier, nonce) and a stashed response (the provider's code) are
 * sealed under the deployment secret, bound to their request; a row that does not open is taken
 * as no request at all (the callback's "expired, start again").
 */
const requestSealer = (id: string) => sealerFor(`federation_requests:${id}`);

export async function saveRequest(ctx: PoolContext, state: string, r: Omit<PendingRequest, 'response' | 'createdAt'>): Promise<void> {
  const now = ctx.now();
  await ctx.db
    .insertInto('federation_requests')
    .values({
      id: hashOf(state),
      provider_name: r.provider,
      uid: r.uid,
      browser: r.browser,
      locale: r.locale,
      data: requestSealer(hashOf(state)).seal(JSON.stringify(r.test ? { ...r.data, [TEST_KEY]: r.test } : r.data)),
      response: null,
      used_at: null,
      created_at: now,
      expires_at: now + REQUEST_TTL_MS,
    })
    .execute();
}

/** Marks the request for this state used and returns it, if it was valid and unused. */
export async function takeRequest(ctx: PoolContext, state: string): Promise<PendingRequest | undefined> {
  const now = ctx.now();
  const row = await ctx.db
    .updateTable('federation_requests')
    .set({ used_at: now })
    .where('id', '=', hashOf(state))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const sealer = requestSealer(row.id);
  const data = sealer.tryUnseal(row.data);
  const response = row.response ? sealer.tryUnseal(row.response) : undefined;
  if (data === undefined || (row.response && response === undefined)) return undefined;
  const { [TEST_KEY]: test, ...protocolData } = JSON.parse(data) as Record<string, unknown>;
  return {
    provider: row.provider_name,
    uid: row.uid,
    locale: row.locale,
    browser: row.browser,
    data: protocolData,
    response: response ? (JSON.parse(response) as Record<string, string>) : undefined,
    ...(test ? { test: test as TestBinding } : {}),
    createdAt: row.created_at,
  };
}

/**
 * A sealed note kept with the requests until it expires (a test sign-in's result): saved used,
 * so no `state` can ever take it as a request; read as often as wanted by its handle.
 */
export async function saveNote(ctx: PoolContext, handle: string, note: { provider: string; owner: string; data: Record<string, unknown> }): Promise<void> {
  const now = ctx.now();
  const id = hashOf(`note:${handle}`);
  await ctx.db
    .insertInto('federation_requests')
    .values({ id, provider_name: note.provider, uid: '', browser: note.owner, locale: '', data: requestSealer(id).seal(JSON.stringify(note.data)), response: null, used_at: now, created_at: now, expires_at: now + REQUEST_TTL_MS })
    .execute();
}

/** A note's data, when it is alive and `owner` is the one it was saved for. */
export async function readNote(ctx: PoolContext, handle: string, owner: string): Promise<Record<string, unknown> | undefined> {
  const id = hashOf(`note:${handle}`);
  const row = await ctx.db.selectFrom('federation_requests').select(['data', 'browser']).where('id', '=', id).where('expires_at', '>', ctx.now()).executeTakeFirst();
  if (!row || row.browser !== owner) return undefined;
  const data = requestSealer(id).tryUnseal(row.data);
  return data === undefined ? undefined : (JSON.parse(data) as Record<string, unknown>);
}

/** Keeps a POSTed response (once) until the browser comes back with its cookies. */
export async function stashResponse(ctx: PoolContext, state: string, response: Record<string, string>): Promise<boolean> {
  const r = await ctx.db
    .updateTable('federation_requests')
    .set({ response: requestSealer(hashOf(state)).seal(JSON.stringify(response)) })
    .where('id', '=', hashOf(state))
    .where('response', 'is', null)
    .where('used_at', 'is', null)
    .where('expires_at', '>', ctx.now())
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Notes that this sign-in was sent on to a provider by Cognito's `identity_provider` /
 * `idp_identifier` (a row no state can ever match), so coming back to the login page after a
 * failure shows the options instead of redirecting again.
 */
export async function noteAutomaticStart(ctx: PoolContext, uid: string, target: string): Promise<void> {
  const now = ctx.now();
  await ctx.db
    .insertInto('federation_requests')
    .values({ id: `auto:${uid}`, provider_name: target.slice(0, 254), uid, browser: '', locale: '', data: '{}', response: null, used_at: now, created_at: now, expires_at: now + REQUEST_TTL_MS })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Whether this sign-in has already been sent to a provider (so `identity_provider` redirects once). */
export async function startedFederation(ctx: PoolContext, uid: string): Promise<boolean> {
  const row = await ctx.db.selectFrom('federation_requests').select('id').where('uid', '=', uid).where('expires_at', '>', ctx.now()).executeTakeFirst();
  return row !== undefined;
}
