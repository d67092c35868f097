/**
 * Secrets at rest (issue 10.6): what the database holds never gives a secret away, and what was
 * stored by older versions, or sealed under a previous deployment secret, is converted at start.
 */
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterEach, expect, it } from 'vitest';
import type { IdentityProviderConfig } from '../config/identity-providers';
import { parseSeed } from '../config/seed';
import type { Db } from '../db/connect';
import { openProviderConfig, providerReader, resealProviderSecrets, saveProvider } from '../federation/providers';
import { saveRequest, stashResponse, takeRequest } from '../federation/requests';
import { clientSecretMatches, hashStoredClientSecrets } from '../pool/client-secrets';
import type { PoolContext } from '../pool/context';
import { currentStep, saveStep, type FlowStep } from '../pool/flow';
import { resealFactorSecrets } from '../pool/mfa/seal';
import { newTotpSecret, verifyTotp } from '../pool/mfa/totp';
import { applySeedIfEmpty } from '../pool-config/apply';
import { describeEachDb } from '../testing/databases';
import { secretOf, startOidcBed, type OidcBed } from '../testing/oidc-testbed';
import { createVault, installVault, resealSecrets, sealerFor, vault, type Vault } from '.';

// This file's deployment secret, so that a test can rotate away from it and back.
const original = randomBytes(48);
installVault(createVault(original));

const beds: OidcBed[] = [];
afterEach(async () => {
  await Promise.all(beds.splice(0).map((b) => b.stop()));
  installVault(createVault(original));
});

const rawRows = async (db: Db, table: 'clients' | 'identity_providers' | 'mfa_factors' | 'sign_in_flows') => JSON.stringify(await db.kysely.selectFrom(table).selectAll().execute());
const ctxOf = (db: Db) => ({ db: db.kysely, now: () => Date.now() }) as unknown as PoolContext;

/** The token endpoint's answer to a refresh with a made-up token: 400 once the client is authenticated, 401 when it is not. */
async function tokenAuth(issuer: string, auth: { basic?: [string, string]; post?: [string, string] }) {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'not-a-token' });
  if (auth.post) {
    form.set('client_id', auth.post[0]);
    form.set('client_secret', auth.post[1]);
  }
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth.basic) headers.authorization = `Basic ${Buffer.from(auth.basic.map(encodeURIComponent).join(':')).toString('base64')}`;
  const res = await fetch(`${issuer}/oauth2/token`, { method: 'POST', headers, body: form });
  return { status: res.status, error: ((await res.json()) as { error?: string }).error };
}

const upstream = (secret: string): IdentityProviderConfig =>
  ({ name: 'Corp', type: 'oidc', issuer: 'https://idp.corp.example', client_id: 'foyer', client_secret: secret, idp_identifiers: [] }) as unknown as IdentityProviderConfig;

const upstreamSecret = async (db: Db) => ((await providerReader(db.kysely).get('Corp')) as { client_secret?: string } | undefined)?.client_secret;

/** How TOTP secrets were sealed before the vault (a key derived from the pool's pepper). */
function legacySeal(pepper: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', createHash('sha256').update(`foyer-mfa-seal:${pepper}`).digest(), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

async function seedAlice(db: Db): Promise<string> {
  await applySeedIfEmpty(db, parseSeed({ users: [{ username: 'alice', email: 'alice@example.com' }] }));
  return (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
}

describeEachDb('secrets at rest', (open) => {
  it('app-client secrets are stored as hashes, and the token endpoint still authenticates clients by basic and post', async () => {
    const db = await open();
    const bed = await startOidcBed(db, [{ client_id: 'rp' }, { client_id: 'poster', token_endpoint_auth_method: 'client_secret_post' }]);
    beds.push(bed);
    const rows = await rawRows(db, 'clients');
    expect(rows).not.toContain(secretOf('rp'));
    expect(rows).not.toContain(secretOf('poster'));

    // A whole code flow, the client authenticating with client_secret_basic.
    expect((await bed.signIn('rp')).id_token).toBeTruthy();
    expect(await tokenAuth(bed.issuer, { basic: ['rp', secretOf('rp')] })).toEqual({ status: 400, error: 'invalid_grant' });
    expect(await tokenAuth(bed.issuer, { post: ['poster', secretOf('poster')] })).toEqual({ status: 400, error: 'invalid_grant' });
    // Another secret, another client's, or the stored hash itself: refused.
    const stored = JSON.parse((await db.kysely.selectFrom('clients').select('metadata').where('client_id', '=', 'rp').executeTakeFirstOrThrow()).metadata).client_secret;
    for (const wrong of ['wrong-secret-0123456789', secretOf('poster'), stored]) {
      expect(await tokenAuth(bed.issuer, { basic: ['rp', wrong] })).toEqual({ status: 401, error: 'invalid_client' });
    }
    expect(await tokenAuth(bed.issuer, { post: ['poster', 'wrong-secret-0123456789'] })).toEqual({ status: 401, error: 'invalid_client' });
    // The method needing the secret in clear is not offered.
    const discovery = (await (await fetch(`${bed.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint_auth_methods_supported: string[] };
    expect(discovery.token_endpoint_auth_methods_supported.sort()).toEqual(['client_secret_basic', 'client_secret_post', 'none']);
  });

  it('a client secret stored in clear by an older version is hashed at start, once, and still matches', async () => {
    const db = await open();
    const metadata = { client_id: 'old', client_secret: 'stored-in-clear-0123456789', redirect_uris: ['https://old.example/cb'] };
    await db.kysely.insertInto('clients').values({ client_id: 'old', metadata: JSON.stringify(metadata), created_at: 1, updated_at: 1 }).execute();
    expect(await hashStoredClientSecrets(db.kysely)).toBe(1);
    expect(await hashStoredClientSecrets(db.kysely)).toBe(0);
    expect(await rawRows(db, 'clients')).not.toContain('stored-in-clear');
    const stored = JSON.parse((await db.kysely.selectFrom('clients').select('metadata').executeTakeFirstOrThrow()).metadata).client_secret;
    expect(await clientSecretMatches(db.kysely, 'old', stored, 'stored-in-clear-0123456789')).toBe(true);
    expect(await clientSecretMatches(db.kysely, 'old', stored, 'stored-in-clear-012345678')).toBe(false);
    // The hash is bound to its client.
    expect(await clientSecretMatches(db.kysely, 'other', stored, 'stored-in-clear-0123456789')).toBe(false);
  });

  it('upstream IdP secrets are sealed at rest and opened for use; clear ones (older versions) are sealed at start', async () => {
    const db = await open();
    await saveProvider(db.kysely, upstream('upstream-secret-abc'), 1);
    expect(await rawRows(db, 'identity_providers')).not.toContain('upstream-secret-abc');
    expect(await upstreamSecret(db)).toBe('upstream-secret-abc');

    await db.kysely.updateTable('identity_providers').set({ config: JSON.stringify(upstream('in-clear-secret')) }).execute();
    expect(await upstreamSecret(db)).toBe('in-clear-secret');
    expect(await resealProviderSecrets(db.kysely)).toBe(1);
    expect(await resealProviderSecrets(db.kysely)).toBe(0);
    expect(await rawRows(db, 'identity_providers')).not.toContain('in-clear-secret');
    expect(await upstreamSecret(db)).toBe('in-clear-secret');
  });

  it('TOTP secrets sealed the old way (under the pepper) are sealed under the deployment secret at start, and still verify', async () => {
    const db = await open();
    const userId = await seedAlice(db);
    const secret = newTotpSecret();
    await db.kysely.insertInto('mfa_factors').values({ id: 'f1', user_id: userId, kind: 'totp', secret: legacySeal('test-secret', secret), last_used_step: null, created_at: 1 }).execute();
    expect(await resealFactorSecrets(db.kysely, 'test-secret')).toBe(1);
    expect(await resealFactorSecrets(db.kysely, 'test-secret')).toBe(0);
    const row = await db.kysely.selectFrom('mfa_factors').select('secret').executeTakeFirstOrThrow();
    expect(vault().isCurrent(row.secret)).toBe(true);
    expect(await rawRows(db, 'mfa_factors')).not.toContain(secret);
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
    expect(await verifyTotp(ctxOf(db), userId, code)).toBe(true);
    // Bound to its user: moved to another, it does not open.
    expect(() => sealerFor(`mfa_factors:someone-else`).unseal(row.secret)).toThrow();
  });

  it('sign-in flow state is sealed whole; a row that does not open restarts the sign-in', async () => {
    const db = await open();
    const ctx = ctxOf(db);
    const step: FlowStep = { step: 'recovery-codes', userId: 'user-1', amr: ['pwd'], codes: ['abcd-efgh-ijkl'] };
    await saveStep(ctx, 'uid-1', step);
    const raw = await rawRows(db, 'sign_in_flows');
    expect(raw).not.toContain('abcd-efgh-ijkl');
    expect(raw).not.toContain('user-1');
    expect(await currentStep(ctx, 'uid-1')).toEqual(step);
    const setup: FlowStep = { step: 'mfa-setup', userId: 'user-1', amr: ['pwd'], secret: 'JBSWY3DPEHPK3PXP' };
    await saveStep(ctx, 'uid-2', setup);
    expect(await rawRows(db, 'sign_in_flows')).not.toContain('JBSWY3DPEHPK3PXP');

    const state = (await db.kysely.selectFrom('sign_in_flows').select('state').where('uid', '=', 'uid-1').executeTakeFirstOrThrow()).state;
    const unreadable = {
      'moved to another interaction': state,
      tampered: `${state.slice(0, -2)}AA`,
      'sealed by another deployment': sealerFor('sign_in_flows:uid-2', createVault(randomBytes(48))).seal(JSON.stringify(setup)),
      'stored in clear by an older version': JSON.stringify(setup),
    };
    for (const [what, value] of Object.entries(unreadable)) {
      await db.kysely.updateTable('sign_in_flows').set({ state: value }).where('uid', '=', 'uid-2').execute();
      expect(await currentStep(ctx, 'uid-2'), what).toEqual({ step: 'sign-in' });
    }
  });

  it("a federated sign-in's PKCE verifier, nonce and the provider's posted code are sealed; a row that does not open is no request", async () => {
    const db = await open();
    const ctx = ctxOf(db);
    const request = { provider: 'Corp', uid: 'uid-1', locale: 'en', browser: 'b', data: { verifier: 'pkce-verifier-secret', nonce: 'nonce-secret' } };
    await saveRequest(ctx, 'state-1', request);
    expect(await stashResponse(ctx, 'state-1', { code: 'upstream-code-secret', state: 'state-1' })).toBe(true);
    const raw = JSON.stringify(await db.kysely.selectFrom('federation_requests').selectAll().execute());
    for (const secret of ['pkce-verifier-secret', 'nonce-secret', 'upstream-code-secret']) expect(raw).not.toContain(secret);
    expect(await takeRequest(ctx, 'state-1')).toEqual({ ...request, response: { code: 'upstream-code-secret', state: 'state-1' }, createdAt: expect.any(Number) });

    await saveRequest(ctx, 'state-2', request);
    await db.kysely.updateTable('federation_requests').set({ data: JSON.stringify(request.data) }).where('uid', '=', 'uid-1').where('used_at', 'is', null).execute();
    expect(await takeRequest(ctx, 'state-2')).toBeUndefined();
  });

  it('a rotation (FOYER_SECRET_PREVIOUS) seals everything again under the new secret, which alone then opens it', async () => {
    const db = await open();
    const bed = await startOidcBed(db, [{ client_id: 'rp' }]);
    beds.push(bed);
    const userId = (await db.kysely.selectFrom('users').select('id').where('username', '=', 'alice').executeTakeFirstOrThrow()).id;
    await saveProvider(db.kysely, upstream('upstream-secret-abc'), 1);
    const totpSecret = newTotpSecret();
    await db.kysely.insertInto('mfa_factors').values({ id: 'f1', user_id: userId, kind: 'totp', secret: sealerFor(`mfa_factors:${userId}`).seal(totpSecret), last_used_step: null, created_at: 1 }).execute();

    const next = randomBytes(48);
    const rotated: Vault = createVault(next, [original]);
    installVault(rotated);
    // The client-secret key is in `secrets`; the provider's and the factor's secrets in their rows.
    expect(await resealSecrets(db.kysely, rotated)).toBe(1);
    expect(await resealProviderSecrets(db.kysely, rotated)).toBe(1);
    expect(await resealFactorSecrets(db.kysely, 'test-secret', rotated)).toBe(1);

    // Without the previous secret now: everything opens, and client secrets still match.
    installVault(createVault(next));
    expect(await upstreamSecret(db)).toBe('upstream-secret-abc');
    const code = new TOTP({ secret: Secret.fromBase32(totpSecret), digits: 6, period: 30, algorithm: 'SHA1' }).generate();
    expect(await verifyTotp(ctxOf(db), userId, code)).toBe(true);
    const stored = JSON.parse((await db.kysely.selectFrom('clients').select('metadata').where('client_id', '=', 'rp').executeTakeFirstOrThrow()).metadata).client_secret;
    expect(await clientSecretMatches(db.kysely, 'rp', stored, secretOf('rp'))).toBe(true);
    expect(await tokenAuth(bed.issuer, { basic: ['rp', secretOf('rp')] })).toEqual({ status: 400, error: 'invalid_grant' });
    // And the old secret alone opens nothing any more.
    const row = await db.kysely.selectFrom('identity_providers').select(['name', 'config']).executeTakeFirstOrThrow();
    expect(() => openProviderConfig(row.name, row.config, createVault(original))).toThrow(/FOYER_SECRET/);
  });
});
