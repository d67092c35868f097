import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startUpstream, type Upstream } from '../testing/upstream-oidc';
import { parseSeed } from '../config/seed';
import type { Db } from '../db/connect';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { follow, samlTestbed, stopTestIdps, TEST_PUBLIC_URL } from '../testing/saml-testbed';
import { wiredRevocation } from '../testing/wired';
import { createPool } from '../pool';
import { applySeedIfEmpty } from '../pool-config/apply';
import { FederationError } from './errors';
import { createFederation, type Federation } from './index';
import { verifyAuthorizationResponse } from './oidc/callback';
import type { OAuthRequestData } from './oidc/authorize';
import { IDP_RESPONSE_PATH } from './paths';
import type { OAuthProvider } from './presets';
import { consumeResponse } from './saml/consume';
import { CLOCK_SKEW_MS } from './saml/client';
import { samlIdentity, samlProviderOf, verifySamlAnswer, type SamlIdentityProvider } from './saml/protocol';

/**
 * A console admin's test sign-in (server/federation/test-sign-in.ts) with a real SAML IdP and a
 * real upstream OpenID provider on loopback: the answer goes through the same verification as a
 * sign-in, and nothing is written but the result; tickets, answers and results belong to the
 * console session that started them; the provider is asked to authenticate the user again.
 */

afterEach(stopTestIdps);

const UPSTREAM_SECRET = 'upstream-secret-for-test-sign-ins';
let up: Upstream;
beforeAll(async () => {
  up = await startUpstream('testsignin');
  up.registerClient({ client_id: 'foyer', client_secret: UPSTREAM_SECRET, redirect_uris: [`${TEST_PUBLIC_URL}${IDP_RESPONSE_PATH}`], token_endpoint_auth_method: 'client_secret_post' });
  up.setAccount({ sub: 'dana', email: 'dana@corp.test', email_verified: true });
  up.loginAs = 'dana';
});
afterAll(() => up?.stop());

/**
 * A browser at the upstream: follows its redirects with its cookies (in `jar`) until it is sent
 * back to Foyer's callback, whose query it returns.
 */
async function atUpstream(start: string, jar: Map<string, string>): Promise<URLSearchParams> {
  let url = start;
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(TEST_PUBLIC_URL)) return new URL(url).searchParams;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (value && !/max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.set(name, value);
      else jar.delete(name);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`the upstream answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects');
}

const SAM = { nameId: 'n-1', sessionIndex: '_s-1', attributes: { email: 'sam@acme.test', given_name: 'Sam', department: 'Research', groups: ['staff', 'ops'] } };
const ADMIN = 'console-session-of-root';
const OTHER = 'console-session-of-someone-else';
const REQUEST_TTL_MS = 15 * 60_000;

describeEachDb('test sign-ins from the console', (open) => {
  async function setup(db: Db) {
    const bed = await samlTestbed(db, { provider: { name: 'Acme' }, idp: { user: SAM } });
    let t = Date.now();
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { custom_attributes: [{ name: 'custom:department' }] },
        identity_providers: [
          { name: 'Acme', type: 'saml', metadata_xml: bed.idp.metadataXml, attribute_mapping: { email: 'email', email_verified: 'email_verified', given_name: 'given_name', 'custom:department': 'department', phone_number: 'phone' } },
          { name: 'Corp', type: 'oidc', issuer: up.issuer, client_id: 'foyer', client_secret: UPSTREAM_SECRET, token_endpoint_auth_method: 'client_secret_post' },
        ],
        users: [{ username: 'alice', email: 'alice@acme.test', email_verified: true, password: 'violet tractor under seven lanterns' }],
      }),
      t,
    );
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => t, revocation: wiredRevocation(() => t) });
    const federation = createFederation(pool.ctx);
    return { bed, pool, federation, advance: (ms: number) => (t += ms), now: () => t };
  }

  /** Rows a sign-in writes (users, links, sessions, pending links, provider artifacts, sign-up events). */
  async function footprint(db: Db) {
    const count = async (table: 'users' | 'user_identities' | 'account_sessions' | 'federated_sessions' | 'federation_pending_links' | 'oidc_artifacts' | 'sign_in_flows') =>
      Number((await db.kysely.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()).n);
    const events = await db.kysely.selectFrom('events').select('type').execute();
    return {
      users: await count('users'),
      identities: await count('user_identities'),
      accountSessions: await count('account_sessions'),
      federatedSessions: await count('federated_sessions'),
      pendingLinks: await count('federation_pending_links'),
      artifacts: await count('oidc_artifacts'),
      flows: await count('sign_in_flows'),
      events: events.map((e) => e.type).sort(),
    };
  }

  const refusal = async (p: Promise<unknown> | (() => unknown)) => {
    try {
      await (typeof p === 'function' ? p() : p);
    } catch (e) {
      expect(e).toBeInstanceOf(FederationError);
      return (e as FederationError).code;
    }
    throw new Error('not refused');
  };

  /** From the console's ticket to the IdP's answer, as the start route and the browser carry it. */
  async function toIdpAndBack(federation: Federation, session: string, locale = 'ar') {
    const ticket = (await federation.tests.prepare({ provider: 'Acme', session, locale }))!;
    const redeemed = await federation.tests.redeem(ticket, session);
    expect(redeemed.locale).toBe(locale);
    const started = await federation.start(redeemed.idp, { uid: '', locale, browser: 'browser-hash', publicUrl: TEST_PUBLIC_URL, ip: '203.0.113.1', test: { session } });
    if (!('redirect' in started)) throw new Error('expected a redirect');
    const answer = await follow({ binding: 'redirect', url: started.redirect, messageId: '' });
    if (!answer.page) throw new Error(`the IdP answered ${answer.status}`);
    return { idp: redeemed.idp as SamlIdentityProvider, fields: answer.page.fields, state: answer.page.fields.RelayState };
  }

  it('verifies the answer as a sign-in does, shows the claims and what they map to, and creates no user, link or session', async () => {
    const db = await open();
    const { bed, federation } = await setup(db);
    const before = await footprint(db);

    const { idp, fields, state } = await toIdpAndBack(federation, ADMIN);
    // A real, signed AuthnRequest went to the IdP, as for a sign-in, asking it to authenticate anew.
    expect(bed.idp.authnRequests.at(-1)).toMatchObject({ binding: 'redirect', signed: true, relayState: state, forceAuthn: true });
    const request = (await federation.requests.take(state))!;
    // Bound to the console session, with no interaction; the binding is not protocol data.
    expect(request).toMatchObject({ provider: 'Acme', uid: '', browser: 'browser-hash', test: { session: ADMIN } });
    expect(request.data).toEqual({ request_id: bed.idp.authnRequests.at(-1)!.id });
    expect(() => federation.tests.check(request, ADMIN)).not.toThrow();

    const consumed = await consumeResponse(bed.ctx, samlProviderOf(idp), fields);
    if (!('ok' in consumed)) throw new Error(consumed.error);
    const handle = await federation.tests.conclude(idp, samlIdentity(idp, consumed.ok)!, ADMIN);

    const result = await federation.tests.read(handle, ADMIN);
    expect(result).toMatchObject({ ok: true, provider: 'Acme', subject: 'n-1', issuer: bed.idp.entityId, signIn: { outcome: 'new', username: 'Acme_n-1' } });
    if (!result?.ok) throw new Error('no result');
    expect(result.mapped).toEqual([
      { attribute: 'email', claim: 'email', value: 'sam@acme.test' },
      { attribute: 'email_verified', claim: 'email_verified', value: null },
      { attribute: 'given_name', claim: 'given_name', value: 'Sam' },
      { attribute: 'custom:department', claim: 'department', value: 'Research' },
      { attribute: 'phone_number', claim: 'phone', value: null },
    ]);
    expect(Object.fromEntries(result.claims)).toEqual({ email: '["sam@acme.test"]', given_name: '["Sam"]', department: '["Research"]', groups: '["staff","ops"]' });

    // Nothing a sign-in writes was written.
    expect(await footprint(db)).toEqual(before);
    // The same answer once more is a replay, refused as at any sign-in.
    expect(await consumeResponse(bed.ctx, samlProviderOf(idp), fields)).toMatchObject({ error: 'saml_replay' });

    // A sign-in's AuthnRequest lets the IdP use its session.
    const signIn = await federation.start(idp, { uid: 'uid-1', locale: 'en', browser: 'browser-hash', publicUrl: TEST_PUBLIC_URL, ip: '203.0.113.1' });
    if (!('redirect' in signIn)) throw new Error('expected a redirect');
    expect((await follow({ binding: 'redirect', url: signIn.redirect, messageId: '' })).page).toBeDefined();
    expect(bed.idp.authnRequests.at(-1)).toMatchObject({ signed: true, forceAuthn: false });
  });

  it('an OpenID provider is asked to authenticate again (prompt=login, max_age=0) though it has a session, and its auth_time is checked; a sign-in uses the session', async () => {
    const db = await open();
    const { federation } = await setup(db);
    const corp = (await federation.providers.get('Corp')) as OAuthProvider;
    const jar = new Map<string, string>();
    const redirectUri = `${TEST_PUBLIC_URL}${IDP_RESPONSE_PATH}`;
    /** A start (a test's when `test`), the browser at the upstream, the answer verified as the callback does. */
    const roundTrip = async (test: boolean, override?: Partial<OAuthRequestData>) => {
      const started = await federation.start(corp, { uid: test ? '' : 'uid-1', locale: 'en', browser: 'browser-hash', publicUrl: TEST_PUBLIC_URL, ip: '203.0.113.1', test: test ? { session: ADMIN } : undefined });
      if (!('redirect' in started)) throw new Error('expected a redirect');
      const sent = new URL(started.redirect).searchParams;
      const answer = await atUpstream(started.redirect, jar);
      const request = (await federation.requests.take(answer.get('state')!))!;
      if (test) federation.tests.check(request, ADMIN);
      const verified = verifyAuthorizationResponse(corp, answer, { ...(request.data as unknown as OAuthRequestData), ...override, state: answer.get('state')!, redirectUri });
      return { sent, verified };
    };

    const first = await roundTrip(true);
    expect([first.sent.get('prompt'), first.sent.get('max_age')]).toEqual(['login', '0']);
    expect(up.prompts.at(-1)).toMatchObject({ hadSession: false });
    const since = Math.floor(Date.now() / 1000);
    expect((await first.verified).subject).toBe('dana');

    // The upstream has a session with this browser now; a test still makes it ask.
    const logins = up.logins;
    const second = await roundTrip(true);
    expect(up.prompts.at(-1)).toEqual({ hadSession: true, reasons: expect.arrayContaining(['login_prompt']) });
    expect(up.logins).toBe(logins + 1);
    expect(Number((await second.verified).claims.auth_time)).toBeGreaterThanOrEqual(since - 1);

    // A sign-in asks for nothing more: the upstream uses its session and asks nobody.
    const prompts = up.prompts.length;
    const signIn = await roundTrip(false);
    expect([signIn.sent.get('prompt'), signIn.sent.get('max_age')]).toEqual([null, null]);
    expect((await signIn.verified).subject).toBe('dana');
    expect(up.prompts.length).toBe(prompts);

    // An answer that does not show a new authentication (here a provider that ignored max_age=0:
    // no auth_time) does not pass a test.
    const ignored = await roundTrip(false, { max_age: 0 });
    const refused = await ignored.verified.then(() => undefined, (e: unknown) => e);
    expect(refused).toBeInstanceOf(FederationError);
    expect(refused).toMatchObject({ code: 'invalid_response', message: expect.stringContaining('auth_time') });
  });

  it('a SAML answer to a test must say the IdP authenticated the user since the request (AuthnInstant); a sign-in may use an older session', async () => {
    const db = await open();
    const { bed, federation, now } = await setup(db);
    const idp = (await federation.providers.get('Acme')) as SamlIdentityProvider;
    /** A start (a test's when `test`), the IdP's answer stashed and taken as the ACS does, verified as it is. */
    const roundTrip = async (test: boolean) => {
      const started = await federation.start(idp, { uid: test ? '' : 'uid-1', locale: 'en', browser: 'browser-hash', publicUrl: TEST_PUBLIC_URL, ip: '203.0.113.1', test: test ? { session: ADMIN } : undefined });
      if (!('redirect' in started)) throw new Error('expected a redirect');
      const answer = await follow({ binding: 'redirect', url: started.redirect, messageId: '' });
      if (!answer.page) throw new Error(`the IdP answered ${answer.status}`);
      const state = answer.page.fields.RelayState;
      expect(await federation.requests.stashResponse(state, answer.page.fields)).toBe(true);
      const request = (await federation.requests.take(state))!;
      expect(request.createdAt).toBe(now());
      return verifySamlAnswer(bed.ctx, idp, request);
    };
    const refused = (answer: Promise<unknown>) => answer.then(() => undefined, (e: unknown) => e);

    // An IdP that honours ForceAuthn authenticates the user at the request: the test passes.
    expect((await roundTrip(true)).subject).toBe('n-1');
    expect(bed.idp.authnRequests.at(-1)).toMatchObject({ forceAuthn: true });
    // Clocks differ a little: an AuthnInstant within the tolerated skew before the request passes.
    bed.idp.authenticatedAt = now() - CLOCK_SKEW_MS + 2_000;
    expect((await roundTrip(true)).subject).toBe('n-1');

    // An IdP that ignored ForceAuthn and reused its session of ten minutes ago fails the test, as
    // one just past the skew does, and one that does not say when the user authenticated.
    for (const authenticatedAt of [now() - 10 * 60_000, now() - CLOCK_SKEW_MS - 2_000, null]) {
      bed.idp.authenticatedAt = authenticatedAt;
      const e = await refused(roundTrip(true));
      expect(e).toBeInstanceOf(FederationError);
      expect(e).toMatchObject({ code: 'invalid_response', message: expect.stringContaining(authenticatedAt === null ? 'no AuthnInstant' : 'AuthnInstant 20') });
    }

    // A sign-in does not ask for a new authentication: the IdP's older session is fine.
    for (const authenticatedAt of [now() - 10 * 60_000, null]) {
      bed.idp.authenticatedAt = authenticatedAt;
      expect((await roundTrip(false)).subject).toBe('n-1');
      expect(bed.idp.authnRequests.at(-1)).toMatchObject({ forceAuthn: false });
    }
  });

  it('says which user a sign-in would reach: a new one, the linked one, or one to link by verified e-mail', async () => {
    const db = await open();
    const { federation, pool } = await setup(db);
    const idp = (await federation.providers.get('Acme'))!;
    const identity = (subject: string, claims: Record<string, unknown>) => ({ provider: 'Acme', subject, claims, issuer: 'https://idp.acme.test' });
    const read = async (handle: string) => (await federation.tests.read(handle, ADMIN)) as { signIn: unknown };

    const linkByEmail = await federation.tests.conclude(idp, identity('n-2', { email: ['alice@acme.test'], email_verified: ['true'] }), ADMIN);
    // Alice's verified address: she would be asked to prove the account is hers, never linked silently.
    expect((await read(linkByEmail)).signIn).toEqual({ outcome: 'link', username: 'alice' });
    const unverified = await federation.tests.conclude(idp, identity('n-2', { email: ['alice@acme.test'] }), ADMIN);
    expect((await read(unverified)).signIn).toEqual({ outcome: 'new', username: 'Acme_n-2' });

    const signedIn = await federation.signIn(idp, identity('n-3', { email: ['carl@acme.test'] }), 'uid-1');
    if (!('done' in signedIn)) throw new Error('expected a sign-in');
    expect((await read(await federation.tests.conclude(idp, identity('n-3', {}), ADMIN))).signIn).toEqual({ outcome: 'linked', username: 'Acme_n-3', enabled: true });
    await pool.users.setEnabled({ id: signedIn.done.userId, enabled: false });
    expect((await read(await federation.tests.conclude(idp, identity('n-3', {}), ADMIN))).signIn).toEqual({ outcome: 'linked', username: 'Acme_n-3', enabled: false });
  });

  it('a ticket is taken once, by the session it was made for, before it expires; a provider that does not exist has none', async () => {
    const db = await open();
    const { federation, advance } = await setup(db);
    expect(await federation.tests.prepare({ provider: 'Nobody', session: ADMIN, locale: 'en' })).toBeUndefined();

    const once = (await federation.tests.prepare({ provider: 'Acme', session: ADMIN, locale: 'en' }))!;
    expect((await federation.tests.redeem(once, ADMIN)).idp.name).toBe('Acme');
    expect(await refusal(federation.tests.redeem(once, ADMIN))).toBe('bad_state');

    // Another console session (another admin's browser) cannot use it, and it is spent.
    const foreign = (await federation.tests.prepare({ provider: 'Acme', session: ADMIN, locale: 'en' }))!;
    expect(await refusal(federation.tests.redeem(foreign, OTHER))).toBe('bad_state');
    expect(await refusal(federation.tests.redeem(foreign, ADMIN))).toBe('bad_state');

    const late = (await federation.tests.prepare({ provider: 'Acme', session: ADMIN, locale: 'en' }))!;
    advance(REQUEST_TTL_MS + 1);
    expect(await refusal(federation.tests.redeem(late, ADMIN))).toBe('bad_state');
    expect(await refusal(federation.tests.redeem('not a ticket', ADMIN))).toBe('bad_state');

    // The providers are cached for sign-ins; a test reads them as they are now (an admin tests
    // the record they just saved, or one just deleted has no test).
    expect(await federation.providers.get('Acme')).toBeDefined();
    await db.kysely.deleteFrom('identity_providers').where('name', '=', 'Acme').execute();
    expect(await federation.tests.prepare({ provider: 'Acme', session: ADMIN, locale: 'en' })).toBeUndefined();
  });

  it('an answer is accepted from the starting session only, and not once expired; results are that session\'s, until they expire', async () => {
    const db = await open();
    const { federation, advance } = await setup(db);
    const { state } = await toIdpAndBack(federation, ADMIN);
    const request = (await federation.requests.take(state))!;
    expect(await refusal(() => federation.tests.check(request, OTHER))).toBe('bad_state');
    expect(await refusal(() => federation.tests.check(request, undefined))).toBe('bad_state');
    // A sign-in's own request is no test: the console cannot claim it.
    expect(await refusal(() => federation.tests.check({ ...request, test: undefined }, ADMIN))).toBe('bad_state');

    const expired = await toIdpAndBack(federation, ADMIN);
    advance(REQUEST_TTL_MS + 1);
    expect(await federation.requests.take(expired.state)).toBeUndefined();

    const handle = await federation.tests.failed('Acme', 'saml_bad_signature', ADMIN);
    expect(await federation.tests.read(handle, ADMIN)).toMatchObject({ ok: false, provider: 'Acme', code: 'saml_bad_signature' });
    expect(await federation.tests.read(handle, OTHER)).toBeUndefined();
    // A result's handle is no state: the callback cannot take it as a request.
    expect(await federation.requests.take(handle)).toBeUndefined();
    advance(REQUEST_TTL_MS + 1);
    expect(await federation.tests.read(handle, ADMIN)).toBeUndefined();
  });
});
