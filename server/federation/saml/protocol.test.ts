import { afterEach, describe, expect, it } from 'vitest';
import { parseSeed } from '../../config/seed';
import { describeEachDb } from '../../testing/databases';
import { wiredRevocation } from '../../testing/wired';
import { testOutbox } from '../../testing/outbox';
import { follow, samlTestbed, stopTestIdps, TEST_PUBLIC_URL } from '../../testing/saml-testbed';
import { createPool } from '../../pool';
import { createFederation } from '../index';
import { applySeedIfEmpty } from '../../pool-config/apply';
import { insertUser } from '../../pool/users';
import { failureStatus } from '../errors';
import { consumeResponse } from './consume';
import { samlIdentity, samlProviderOf, type SamlIdentityProvider } from './protocol';
import type { SamlIdpOptions } from '../../testing/saml-idp';
import type { Db } from '../../db/connect';

afterEach(stopTestIdps);

const demoClient = { client_id: 'demo', token_endpoint_auth_method: 'none', redirect_uris: ['https://app.example/cb'], supported_identity_providers: ['COGNITO', 'Acme'] };
const samlRecord = (extra: Record<string, unknown>) => ({ name: 'Acme', type: 'saml', metadata_url: 'https://idp.example/metadata', ...extra });

describe('SAML provider records', () => {
  it('turn into the SAML core\'s provider settings', () => {
    const seed = parseSeed({
      identity_providers: [samlRecord({ request_binding: 'HTTP-POST', encrypted_assertions: true, attribute_mapping: { email: 'mail' } })],
      clients: [demoClient],
    });
    expect(samlProviderOf(seed.identity_providers[0] as SamlIdentityProvider)).toMatchObject({
      name: 'Acme',
      metadata_url: 'https://idp.example/metadata',
      binding: 'post',
      want_encrypted_assertions: true,
      sign_requests: true,
      idp_initiated: false,
      attribute_mapping: { email: 'mail' },
    });
  });

  it('allow IdP-initiated sign-in only with an app to continue in, one that offers the provider', () => {
    const login = { client_id: 'demo', login_uri: 'https://app.example/login' };
    expect(() => parseSeed({ identity_providers: [samlRecord({ idp_initiated: true })], clients: [demoClient] })).toThrow(/idp_initiated_login.*required when idp_initiated/);
    expect(() => parseSeed({ identity_providers: [samlRecord({ idp_initiated: true, idp_initiated_login: { ...login, client_id: 'nobody' } })], clients: [demoClient] })).toThrow(
      /idp_initiated_login\.client_id/,
    );
    expect(() => parseSeed({ identity_providers: [samlRecord({ idp_initiated: true, idp_initiated_login: { ...login, login_uri: 'http://app.example/login' } })], clients: [demoClient] })).toThrow(
      /https/,
    );
    const seed = parseSeed({ identity_providers: [samlRecord({ idp_initiated: true, idp_initiated_login: login })], clients: [demoClient] });
    expect(samlProviderOf(seed.identity_providers[0] as SamlIdentityProvider).idp_initiated).toBe(true);
  });

  it('SAML failures are 4xx, never 5xx', () => {
    expect(failureStatus('saml_bad_signature')).toBe(400);
    expect(failureStatus('saml_unsolicited')).toBe(403);
    expect(failureStatus('saml_replay')).toBe(409);
    expect(failureStatus('saml_metadata_fetch')).toBe(424);
    expect(failureStatus('request_too_large')).toBe(413);
  });
});

const federatedUser = (pool: ReturnType<typeof createPool>, username: string) =>
  insertUser(pool.ctx, { username, emailVerified: false, phoneNumberVerified: false, passwordHash: null, status: 'EXTERNAL_PROVIDER', attributes: {} });

describeEachDb('SAML sign-in and logout through the federation façade', (open) => {
  async function setup(db: Db, idpOptions: SamlIdpOptions = {}) {
    const bed = await samlTestbed(db, { provider: { name: 'Acme' }, idp: idpOptions });
    let t = Date.now();
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { custom_attributes: [{ name: 'custom:department' }] },
        identity_providers: [
          { name: 'Acme', type: 'saml', metadata_xml: bed.idp.metadataXml, attribute_mapping: { email: 'email', given_name: 'given_name', 'custom:department': 'department' } },
        ],
        clients: [demoClient],
      }),
      t,
    );
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret', now: () => t, revocation: wiredRevocation(() => t) });
    const federation = createFederation(pool.ctx);
    const idp = (await federation.providers.get('Acme')) as SamlIdentityProvider;
    return { bed, pool, federation, idp, advance: (ms: number) => (t += ms) };
  }

  it('starts with a signed AuthnRequest whose RelayState finds the request; the answer signs a new user in', async () => {
    const db = await open();
    const { bed, federation, idp } = await setup(db);
    bed.idp.user = { nameId: 'n-1', sessionIndex: '_s-1', attributes: { email: 'sam@acme.test', given_name: 'Sam', department: 'Research' } };
    const started = await federation.start(idp, { uid: 'uid-1', locale: 'en', browser: 'browser-hash', publicUrl: TEST_PUBLIC_URL, ip: '203.0.113.1' });
    if (!('redirect' in started)) throw new Error('expected a redirect');
    const answer = await follow({ binding: 'redirect', url: started.redirect, messageId: '' });
    const sent = bed.idp.authnRequests[0];
    expect(sent).toMatchObject({ binding: 'redirect', signed: true });
    const state = sent.relayState!;
    expect(answer.page?.fields.RelayState).toBe(state);

    const request = await federation.requests.take(state);
    expect(request).toMatchObject({ provider: 'Acme', uid: 'uid-1', browser: 'browser-hash', data: { request_id: sent.id } });
    const consumed = await consumeResponse(bed.ctx, samlProviderOf(idp), answer.page!.fields);
    if (!('ok' in consumed)) throw new Error(consumed.error);
    const identity = samlIdentity(idp, consumed.ok)!;
    expect(identity).toMatchObject({ provider: 'Acme', subject: 'n-1', issuer: bed.idp.entityId, session: { name_id: 'n-1', session_index: '_s-1' } });
    const outcome = await federation.signIn(idp, identity, 'uid-1');
    if (!('done' in outcome)) throw new Error(JSON.stringify(outcome));
    const user = await db.kysely.selectFrom('users').selectAll().where('id', '=', outcome.done.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ username: 'Acme_n-1', email: 'sam@acme.test', status: 'EXTERNAL_PROVIDER' });
    expect(JSON.parse(user.attributes)).toMatchObject({ given_name: 'Sam', 'custom:department': 'Research' });
  });

  it('sends the AuthnRequest by HTTP-POST when the record asks for it', async () => {
    const db = await open();
    const { federation } = await setup(db);
    const idp = { ...((await federation.providers.get('Acme')) as SamlIdentityProvider), request_binding: 'HTTP-POST' as const };
    const started = await federation.start(idp, { uid: 'uid-2', locale: 'en', browser: 'b', publicUrl: TEST_PUBLIC_URL, ip: '203.0.113.1' });
    if (!('post' in started)) throw new Error('expected a form post');
    expect(Object.keys(started.post.fields).sort()).toEqual(['RelayState', 'SAMLRequest']);
    expect(await federation.requests.take(started.post.fields.RelayState)).toMatchObject({ uid: 'uid-2' });
  });

  it('a federated sign-out sends a LogoutRequest; the IdP\'s own request ends only the matching Foyer sessions', async () => {
    const db = await open();
    const { pool, federation } = await setup(db);
    const userId = await federatedUser(pool, 'Acme_n-2');
    const session = (id: string, loginTs: number) =>
      db.kysely.insertInto('oidc_artifacts').values({ model: 'Session', id, payload: JSON.stringify({ accountId: userId, loginTs }), account_id: userId, grant_id: null, user_code: null, uid: null, expires_at: Date.now() + 3600_000, consumed_at: null }).execute();
    await session('s-a', 1000);
    await session('s-b', 2000);
    await session('s-c', 3000);
    await federation.rememberUpstreamSession(userId, 1000, { provider: 'Acme', data: { name_id: 'n-2', name_id_format: null, session_index: '_a' } });
    await federation.rememberUpstreamSession(userId, 2000, { provider: 'Acme', data: { name_id: 'n-2', name_id_format: null, session_index: '_b' } });
    await federation.rememberUpstreamSession(userId, 3000, { provider: 'Acme', data: { name_id: 'n-2', name_id_format: null, session_index: '_c' } });

    // Sign-out of the first: the IdP gets a signed LogoutRequest for its NameID and SessionIndex.
    const url = await federation.upstreamLogout({ accountId: userId, loginTs: 1000, amr: ['fed'] }, 'https://app.example/bye', TEST_PUBLIC_URL);
    expect(url).toMatch(/\/slo\?SAMLRequest=.*&RelayState=.*&Signature=/);

    const left = async () => (await db.kysely.selectFrom('oidc_artifacts').select('id').where('model', '=', 'Session').orderBy('id').execute()).map((r) => r.id);
    expect(await federation.endUpstreamSessions('Acme', { nameId: 'someone-else' })).toBe(0);
    expect(await federation.endUpstreamSessions('Acme', { nameId: 'n-2', sessionIndex: '_b' })).toBe(1);
    expect(await left()).toEqual(['s-a', 's-c']);
    // Without a session index, every session of the subject from that provider ends.
    expect(await federation.endUpstreamSessions('Acme', { nameId: 'n-2' })).toBe(1);
    expect(await left()).toEqual(['s-a']);
  });

  it('a sign-out at an IdP offering only HTTP-POST logout goes through a page of ours', async () => {
    const db = await open();
    const { pool, federation } = await setup(db, { sloBindings: ['post'] });
    const userId = await federatedUser(pool, 'Acme_n-9');
    await federation.rememberUpstreamSession(userId, 500, { provider: 'Acme', data: { name_id: 'n-9', name_id_format: null, session_index: null } });
    const url = await federation.upstreamLogout({ accountId: userId, loginTs: 500, amr: ['fed'] }, 'https://app.example/bye', TEST_PUBLIC_URL);
    const state = new URL(url!).searchParams.get('post')!;
    expect(url).toBe(`${TEST_PUBLIC_URL}/saml2/logout?post=${state}`);
    const parked = await federation.requests.take(`post:${state}`);
    expect(parked?.data.post).toMatchObject({ url: expect.stringMatching(/\/slo$/), fields: { RelayState: state, SAMLRequest: expect.any(String) } });
  });

  it('unsolicited answers count against the per-IP sign-in limit', async () => {
    const db = await open();
    await applySeedIfEmpty(db, parseSeed({ pool: { rate_limits: { sign_in_per_ip_per_5_minutes: 2 } } }), Date.now());
    const pool = createPool({ db: db.kysely, outbox: testOutbox(db.kysely).link, secret: 'test-secret' });
    const federation = createFederation(pool.ctx);
    await federation.limitAttempt('203.0.113.7');
    await federation.limitAttempt('203.0.113.7');
    await expect(federation.limitAttempt('203.0.113.7')).rejects.toMatchObject({ code: 'rate_limited' });
    await federation.limitAttempt('203.0.113.8');
  });

  it('the sweeper removes expired SAML requests too', async () => {
    const db = await open();
    const { federation, idp, advance } = await setup(db);
    await federation.start(idp, { uid: 'uid-3', locale: 'en', browser: 'b', publicUrl: TEST_PUBLIC_URL, ip: '203.0.113.1' });
    const count = async () => (await db.kysely.selectFrom('saml_requests').select('id').execute()).length;
    expect(await count()).toBe(1);
    await federation.sweep();
    expect(await count()).toBe(1);
    advance(31 * 60_000);
    await federation.sweep();
    expect(await count()).toBe(0);
  });
});
