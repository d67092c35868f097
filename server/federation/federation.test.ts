import { expect, it } from 'vitest';
import { parseSeed } from '../config/seed';
import { describeEachDb } from '../testing/databases';
import { testOutbox } from '../testing/outbox';
import { createPool, type FlowOutcome, type PoolError } from '../pool';
import { applySeedIfEmpty } from '../pool-config/apply';
import { createFederation, type IdentityProvider, type VerifiedIdentity } from './index';

const START = Date.UTC(2030, 0, 1, 12, 0, 0);
const PASSWORD = 'violet tractor under seven lanterns';
const IP = '203.0.113.9';

describeEachDb('federated users and account linking', (open) => {
  async function setup(mfa: 'OFF' | 'OPTIONAL' = 'OFF') {
    const db = await open();
    let t = START;
    await applySeedIfEmpty(
      db,
      parseSeed({
        pool: { custom_attributes: [{ name: 'custom:department' }], mfa: { mode: mfa, factors: ['email'] } },
        identity_providers: [
          {
            name: 'Corp',
            type: 'oidc',
            issuer: 'https://idp.corp.example',
            client_id: 'foyer',
            client_secret: 'secret',
            attribute_mapping: { email: 'email', email_verified: 'email_verified', name: 'name', 'custom:department': 'dept' },
          },
          { name: 'Google', type: 'google', client_id: 'g', client_secret: 's' },
        ],
        users: [{ username: 'alice', email: 'alice@example.com', email_verified: true, password: PASSWORD }],
      }),
      t,
    );
    const outbox = testOutbox(db.kysely, { now: () => t });
    const pool = createPool({ db: db.kysely, outbox: outbox.link, secret: 'test-secret', now: () => t });
    const federation = createFederation(pool.ctx);
    const corp = (await federation.providers.get('Corp'))!;
    const google = (await federation.providers.get('Google'))!;
    const alice = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
    const identity = (claims: Record<string, unknown>, subject = 'corp-1', provider: IdentityProvider = corp): VerifiedIdentity => ({
      provider: provider.name,
      subject,
      claims,
      issuer: provider.type === 'oidc' ? 'https://idp.corp.example' : null,
      session: { id_token: 'upstream.id.token' },
    });
    return { db, pool, federation, corp, google, alice, identity, mails: outbox.mails, deliver: outbox.deliver, advance: (ms: number) => (t += ms) };
  }

  const doneUser = (r: FlowOutcome | PoolError) => {
    if (!('done' in r)) throw new Error(`expected done, got ${JSON.stringify(r)}`);
    return r.done.userId;
  };

  it('stores the seed\'s providers, and reads them back validated', async () => {
    const { federation, corp } = await setup();
    expect((await federation.providers.list()).map((p) => p.name)).toEqual(['Corp', 'Google']);
    expect(corp).toMatchObject({ type: 'oidc', idp_identifiers: [], token_endpoint_auth_method: 'client_secret_basic' });
  });

  it('a first sign-in creates a user from the mapped claims; later ones reuse it and refresh the attributes', async () => {
    const { pool, federation, corp, identity, advance } = await setup();
    const first = await federation.signIn(corp, identity({ email: 'bob@corp.example', email_verified: true, name: 'Bob', dept: 'Research', ignored: 'x' }), 'uid-1');
    expect(first).toMatchObject({ done: { amr: ['fed'] } });
    const id = doneUser(first);
    expect(await pool.users.get({ id })).toMatchObject({ username: 'Corp_corp-1', email: 'bob@corp.example', emailVerified: true, status: 'EXTERNAL_PROVIDER', attributes: { name: 'Bob', 'custom:department': 'Research' } });
    const claims = await pool.users.claims({ id });
    expect(claims).toMatchObject({ sub: id, 'cognito:username': 'Corp_corp-1', 'custom:department': 'Research' });
    expect(claims!.identities).toEqual([{ userId: 'corp-1', providerName: 'Corp', providerType: 'OIDC', issuer: 'https://idp.corp.example', primary: 'true', dateCreated: String(START) }]);

    advance(60_000);
    const second = await federation.signIn(corp, identity({ email: 'bob@corp.example', email_verified: true, name: 'Robert', dept: 'Sales' }), 'uid-2');
    expect(doneUser(second)).toBe(id);
    expect((await pool.users.get({ id }))!.attributes).toEqual({ name: 'Robert', 'custom:department': 'Sales' });
    expect(await pool.identities.list({ userId: id })).toEqual([{ providerName: 'Corp', providerType: 'oidc', subject: 'corp-1', issuer: 'https://idp.corp.example', linkedAt: START, lastSignInAt: START + 60_000 }]);
  });

  it('a verified e-mail of an existing user waits for proof of ownership; a wrong password links nothing', async () => {
    const { pool, federation, corp, alice, identity } = await setup();
    const r = await federation.signIn(corp, identity({ email: 'Alice@Example.com', email_verified: true, dept: 'Legal' }), 'uid-1');
    expect(r).toEqual({ next: { step: 'link-account', userId: alice, provider: 'Corp', email: 'alice@example.com' } });
    if (!('next' in r) || r.next.step !== 'link-account') throw new Error('no link step');
    expect(await federation.link.options(r.next)).toEqual({ password: true, providers: [] });

    expect(await federation.link.proveWithPassword({ uid: 'uid-1', step: r.next, pool, password: 'wrong', ip: IP, locale: 'en' })).toMatchObject({ error: 'invalid_credentials' });
    // Finishing some other sign-in of alice without the proof drops the waiting identity.
    expect(await federation.link.complete('uid-1', { userId: alice, amr: ['pwd'] })).toEqual({ amr: ['pwd'] });
    expect(await pool.identities.list({ userId: alice })).toEqual([]);
    // Nothing waits any more: the password alone proves nothing now.
    expect(await federation.link.proveWithPassword({ uid: 'uid-1', step: r.next, pool, password: PASSWORD, ip: IP, locale: 'en' })).toMatchObject({ error: 'session_expired' });
  });

  it('the right password (then the second factor) links the identity to that user, who then signs in with it', async () => {
    const { pool, federation, corp, alice, identity } = await setup('OPTIONAL');
    // In an OPTIONAL pool e-mail codes are a factor once the user turns them on.
    expect(await pool.account.setCodesOptIn({ userId: alice, kind: 'email', on: true, locale: 'en' })).toEqual({ done: true });
    const r = await federation.signIn(corp, identity({ email: 'alice@example.com', email_verified: true, dept: 'Legal' }), 'uid-1');
    if (!('next' in r) || r.next.step !== 'link-account') throw new Error('no link step');
    const proved = await federation.link.proveWithPassword({ uid: 'uid-1', step: r.next, pool, password: PASSWORD, ip: IP, locale: 'en' });
    // The account has a second factor (codes to its verified e-mail): asked for, as at any sign-in.
    expect(proved).toMatchObject({ next: { step: 'mfa', userId: alice, methods: ['email'] } });
    // Not linked until the sign-in is finished...
    expect(await pool.identities.list({ userId: alice })).toEqual([]);
    // ...and a finish for another user does not link it to them.
    expect(await federation.link.complete('uid-1', { userId: 'someone-else', amr: ['pwd', 'mfa'] })).toEqual({ amr: ['pwd', 'mfa'] });
    expect(await pool.identities.list({ userId: alice })).toEqual([]);
  });

  it('links on the finish of the proven sign-in, refreshes the user and keeps the upstream session for sign-out', async () => {
    const { pool, federation, corp, alice, identity } = await setup();
    const r = await federation.signIn(corp, identity({ email: 'alice@example.com', email_verified: true, dept: 'Legal' }), 'uid-1');
    if (!('next' in r) || r.next.step !== 'link-account') throw new Error('no link step');
    const proved = await federation.link.proveWithPassword({ uid: 'uid-1', step: r.next, pool, password: PASSWORD, ip: IP, locale: 'en' });
    expect(proved).toEqual({ done: { userId: alice, amr: ['pwd'] } });
    expect(await federation.link.complete('uid-1', { userId: alice, amr: ['pwd'] })).toEqual({
      amr: ['pwd', 'fed'],
      upstream: { provider: 'Corp', data: { id_token: 'upstream.id.token' } },
    });
    expect((await pool.identities.list({ userId: alice })).map((i) => i.providerName)).toEqual(['Corp']);
    expect((await pool.users.get({ id: alice }))!.attributes).toEqual({ 'custom:department': 'Legal' });
    expect((await pool.users.claims({ id: alice }))!.identities).toMatchObject([{ providerName: 'Corp', primary: 'false' }]);
    // The provider alone now signs alice in.
    expect(doneUser(await federation.signIn(corp, identity({ email: 'alice@example.com', email_verified: true }), 'uid-2'))).toBe(alice);
  });

  it('a sign-in through a provider already linked to the account also proves ownership', async () => {
    const { pool, federation, corp, google, alice, identity } = await setup();
    await pool.ctx.db.insertInto('user_identities').values({ provider_name: 'Google', subject: 'g-1', user_id: alice, provider_type: 'google', issuer: null, linked_at: START, last_sign_in_at: null }).execute();
    const r = await federation.signIn(corp, identity({ email: 'alice@example.com', email_verified: true }), 'uid-1');
    if (!('next' in r) || r.next.step !== 'link-account') throw new Error('no link step');
    expect(await federation.link.options(r.next)).toEqual({ password: true, providers: ['Google'] });
    const viaGoogle = await federation.signIn(google, identity({}, 'g-1', google), 'uid-1');
    expect(doneUser(viaGoogle)).toBe(alice);
    expect((await federation.link.complete('uid-1', { userId: alice, amr: ['fed'] })).amr).toEqual(['fed']);
    expect((await pool.identities.list({ userId: alice })).map((i) => i.providerName).sort()).toEqual(['Corp', 'Google']);
  });

  it('an unverified e-mail never leads to linking: a separate user, whose copy of the address is unverified', async () => {
    const { pool, federation, corp, alice, identity } = await setup();
    const id = doneUser(await federation.signIn(corp, identity({ email: 'alice@example.com', email_verified: false }), 'uid-1'));
    expect(id).not.toBe(alice);
    expect(await pool.users.get({ id })).toMatchObject({ email: 'alice@example.com', emailVerified: false });
    // alice's own address stays hers.
    expect(await pool.users.get({ id: alice })).toMatchObject({ email: 'alice@example.com', emailVerified: true });
  });

  it('a later sign-in does not take over a verified address that another account holds', async () => {
    const { pool, federation, corp, alice, identity } = await setup();
    const id = doneUser(await federation.signIn(corp, identity({ email: 'bob@corp.example', email_verified: true }), 'uid-1'));
    await federation.signIn(corp, identity({ email: 'alice@example.com', email_verified: true, name: 'Bob' }), 'uid-2');
    expect(await pool.users.get({ id })).toMatchObject({ email: 'bob@corp.example', emailVerified: true, attributes: { name: 'Bob' } });
    expect(await pool.users.get({ id: alice })).toMatchObject({ email: 'alice@example.com', emailVerified: true });
  });

  it('a disabled user cannot sign in through a provider', async () => {
    const { pool, federation, corp, identity } = await setup();
    const id = doneUser(await federation.signIn(corp, identity({}), 'uid-1'));
    await pool.ctx.db.updateTable('users').set({ enabled: 0 }).where('id', '=', id).execute();
    expect(await federation.signIn(corp, identity({}), 'uid-2')).toEqual({ error: 'user_disabled' });
  });

  it('federated-only users have no password of ours: no password sign-in, no reset code', async () => {
    const { db, pool, federation, corp, identity, mails, deliver } = await setup();
    doneUser(await federation.signIn(corp, identity({ email: 'bob@corp.example', email_verified: true }), 'uid-1'));
    expect(await pool.signIn({ identifier: 'bob@corp.example', password: 'anything at all', ip: IP, locale: 'en' })).toMatchObject({ error: 'invalid_credentials' });
    const reset = await pool.forgotPassword({ identifier: 'bob@corp.example', ip: IP, locale: 'en' });
    expect(reset).toMatchObject({ next: { step: 'reset-password', userId: null } });
    await deliver();
    expect(mails).toEqual([]);
    // Only a decoy, written so the answer takes as long as a real reset's, and never delivered.
    expect((await db.kysely.selectFrom('messages').select('status').execute()).map((r) => r.status)).toEqual(['decoy']);
  });

  it('unlinking refuses to remove the last way to sign in', async () => {
    const { pool, federation, corp, google, alice, identity } = await setup();
    const bob = doneUser(await federation.signIn(corp, identity({}), 'uid-1'));
    expect(await pool.identities.unlink({ userId: bob, provider: 'Corp' })).toEqual({ refused: 'last_sign_in_method' });
    expect(await pool.identities.unlink({ userId: bob, provider: 'Google' })).toEqual({ refused: 'not_linked' });
    // With a second identity, either may go (but not both).
    await pool.ctx.db.insertInto('user_identities').values({ provider_name: 'Google', subject: 'g-2', user_id: bob, provider_type: 'google', issuer: null, linked_at: START + 1, last_sign_in_at: null }).execute();
    expect(await pool.identities.unlink({ userId: bob, provider: 'Corp' })).toEqual({ unlinked: true });
    expect(await pool.identities.unlink({ userId: bob, provider: 'Google' })).toEqual({ refused: 'last_sign_in_method' });
    // A user with a password may remove every identity.
    await pool.ctx.db.insertInto('user_identities').values({ provider_name: 'Corp', subject: 'c-9', user_id: alice, provider_type: 'oidc', issuer: null, linked_at: START, last_sign_in_at: null }).execute();
    expect(await pool.identities.unlink({ userId: alice, provider: 'Corp' })).toEqual({ unlinked: true });
    expect(await pool.identities.list({ userId: alice })).toEqual([]);
    void google;
  });

  it('keeps what sign-out needs per sign-in, and each answer from a provider is taken once', async () => {
    const { federation, corp, identity, advance } = await setup();
    const id = doneUser(await federation.signIn(corp, identity({}), 'uid-1'));
    await federation.rememberUpstreamSession(id, 1_900_000_000, { provider: 'Corp', data: { id_token: 't' } });
    // Not federated, or another sign-in of the same user: nothing to end upstream.
    expect(await federation.upstreamLogout({ accountId: id, loginTs: 1_900_000_000, amr: ['pwd'] }, '/en/logout/done', 'https://foyer.example')).toBeUndefined();
    expect(await federation.upstreamLogout({ accountId: id, loginTs: 1_900_000_001, amr: ['fed'] }, '/en/logout/done', 'https://foyer.example')).toBeUndefined();

    await federation.requests.save('the-state', { provider: 'Corp', uid: 'uid-9', locale: 'en', browser: 'b', data: { nonce: 'n' } });
    expect(await federation.started('uid-9')).toBe(true);
    expect(await federation.requests.stashResponse('the-state', { code: 'c', state: 'the-state' })).toBe(true);
    expect(await federation.requests.stashResponse('the-state', { code: 'other', state: 'the-state' })).toBe(false);
    expect(await federation.requests.take('the-state')).toMatchObject({ provider: 'Corp', uid: 'uid-9', response: { code: 'c' } });
    expect(await federation.requests.take('the-state')).toBeUndefined();
    await federation.requests.save('late', { provider: 'Corp', uid: 'uid-9', locale: 'en', browser: 'b', data: {} });
    advance(16 * 60_000);
    expect(await federation.requests.take('late')).toBeUndefined();
  });
});
