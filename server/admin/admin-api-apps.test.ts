/**
 * The admin API's app clients, resource servers and identity providers, through a real HTTP
 * server on SQLite and PostgreSQL: happy paths, refusals, audit rows without secrets, and
 * `config export` reading back what the API wrote.
 */
import { expect, it } from 'vitest';
import { REDACTED } from '../config/redacted';
import { parsePoolConfig } from '../config/seed';
import { certificateBody, newKeyAndCertificate } from '../federation/saml/certificate';
import { ACCOUNT_CLIENT_ID } from '../pool/account/client';
import { clientSecretMatches } from '../pool/client-secrets';
import { findClient } from '../pool/clients';
import { applyPoolConfig } from '../pool-config/apply';
import { exportPoolConfig } from '../pool-config/export';
import { problem, withApi } from '../testing/admin-api';
import { describeEachDb } from '../testing/databases';

const API = 'https://api.example.test';
const enc = encodeURIComponent;

const cert = certificateBody(newKeyAndCertificate('Metadata IdP').certificatePem);
const samlMetadata = (entityId: string) =>
  `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${entityId}">` +
  `<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
  `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${cert}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
  `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.test/sso"/>` +
  `</md:IDPSSODescriptor></md:EntityDescriptor>`;

describeEachDb('admin API: clients, resource servers, identity providers', (open) => {
  it('clients: create (secret shown once, stored hashed), page, replace with If-Match, rotate, delete; built-in ones refused; audited without secrets', async () => {
    await withApi(open, async ({ call, db, token }) => {
      const robot = { client_id: 'robot', client_name: 'Robot', grant_types: ['client_credentials'], scope: 'foyer/admin.read' };
      const made = await call('POST', '/clients', { body: robot });
      expect(made.status).toBe(201);
      expect(made.headers.get('location')).toBe('/admin/api/v1/clients/robot');
      const secret = made.json!.client_secret as string;
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(made.json).toMatchObject({ client_id: 'robot', grant_types: ['client_credentials'], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic' });
      const stored = (await findClient(db.kysely, 'robot'))!;
      expect(stored.client_secret).not.toBe(secret);
      expect(await clientSecretMatches(db.kysely, 'robot', stored.client_secret, secret)).toBe(true);

      // Shown once: never in a read.
      const got = await call('GET', '/clients/robot');
      expect(got.json).not.toHaveProperty('client_secret');
      expect(got.headers.get('etag')).toBe(made.headers.get('etag'));

      // A client_id is made when none is given; a public app client has no secret.
      const spa = await call('POST', '/clients', { body: { client_name: 'SPA', redirect_uris: ['https://spa.example.test/cb'], token_endpoint_auth_method: 'none' } });
      expect(spa.status).toBe(201);
      expect(spa.json).not.toHaveProperty('client_secret');
      expect(spa.json!.scope).toBe('openid email phone profile');
      problem(await call('POST', '/clients', { body: robot }), 409);
      problem(await call('POST', '/clients', { body: { client_id: 'x', grant_types: ['authorization_code'] } }), 400);
      problem(await call('POST', '/clients', { body: { ...robot, client_id: 'y', client_secret: 'chosen-by-the-caller-0123' } }), 400);
      const unknown = await call('POST', '/clients', { body: { client_id: 'z', redirect_uris: ['https://z.example.test/cb'], supported_identity_providers: ['Nowhere'], scope: 'openid https://nowhere.example/read' } });
      problem(unknown, 400);
      expect((unknown.json!.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(['/supported_identity_providers/0', '/scope']);
      // The schema's rules and formats carry codes of their own, for the console to word.
      const shapes = await call('POST', '/clients', { body: { client_id: 'a b', redirect_uris: ['https://z.example.test/cb'], scope: 'openid not-a-scope', frame_ancestors: ['https://app.example/path'] } });
      problem(shapes, 400);
      expect(shapes.json!.errors).toEqual(
        expect.arrayContaining([
          { pointer: '/client_id', detail: expect.any(String), code: 'allowed_chars', params: { chars: '._~-', max: '128' } },
          { pointer: '/scope', detail: expect.stringContaining('space-separated'), code: 'scope_list', params: {} },
          { pointer: '/frame_ancestors/0', detail: expect.stringContaining('exact origin'), code: 'frame_ancestor', params: {} },
        ]),
      );

      const page = await call('GET', '/clients?limit=1');
      const ids = [((page.json!.items as { client_id: string }[])[0]).client_id];
      const rest = await call('GET', `/clients?cursor=${page.json!.next as string}`);
      ids.push(...(rest.json!.items as { client_id: string }[]).map((c) => c.client_id));
      expect(ids).toHaveLength(2);
      expect(ids).toContain('robot');
      expect(ids).not.toContain(ACCOUNT_CLIENT_ID);

      problem(await call('PUT', '/clients/robot', { body: { ...robot, client_name: 'Robot 2' } }), 428);
      problem(await call('PUT', '/clients/robot', { body: { ...robot, client_id: 'other' }, headers: { 'if-match': got.headers.get('etag')! } }), 400);
      problem(await call('PUT', '/clients/robot', { body: { ...robot, token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], redirect_uris: ['https://r.example.test/cb'] }, headers: { 'if-match': got.headers.get('etag')! } }), 400);
      const replaced = await call('PUT', '/clients/robot', { body: { ...robot, client_name: 'Robot 2', scope: 'foyer/admin', require_mfa: true }, headers: { 'if-match': got.headers.get('etag')! } });
      expect(replaced.status).toBe(200);
      // `require_mfa` as the config has it (export below reads it back); false when not given.
      expect(replaced.json).toMatchObject({ client_name: 'Robot 2', scope: 'foyer/admin', require_mfa: true });
      expect(spa.json!.require_mfa).toBe(false);
      problem(await call('PUT', '/clients/robot', { body: { ...robot, require_mfa: 'yes' }, headers: { 'if-match': '*' } }), 400);
      problem(await call('PUT', '/clients/robot', { body: robot, headers: { 'if-match': got.headers.get('etag')! } }), 412);
      // The secret stays through a replace.
      expect(await clientSecretMatches(db.kysely, 'robot', (await findClient(db.kysely, 'robot'))!.client_secret, secret)).toBe(true);

      // Rotation: the new secret works, the old one no more.
      const rotated = await call('POST', '/clients/robot/secret');
      expect(rotated.status).toBe(200);
      const fresh = rotated.json!.client_secret as string;
      expect(fresh).not.toBe(secret);
      const hash = (await findClient(db.kysely, 'robot'))!.client_secret;
      expect(await clientSecretMatches(db.kysely, 'robot', hash, fresh)).toBe(true);
      expect(await clientSecretMatches(db.kysely, 'robot', hash, secret)).toBe(false);
      problem(await call('POST', `/clients/${spa.json!.client_id as string}/secret`), 409);

      // The built-in account client: readable, never changed.
      expect((await call('GET', `/clients/${ACCOUNT_CLIENT_ID}`)).status).toBe(200);
      problem(await call('PUT', `/clients/${ACCOUNT_CLIENT_ID}`, { body: robot, headers: { 'if-match': '*' } }), 403);
      problem(await call('POST', `/clients/${ACCOUNT_CLIENT_ID}/secret`), 403);
      problem(await call('DELETE', `/clients/${ACCOUNT_CLIENT_ID}`, { headers: { 'if-match': '*' } }), 403);

      // Refusals: no token, a read-only token writing, an unknown client.
      problem(await call('GET', '/clients', { token: null }), 401);
      expect((await call('GET', '/clients/robot', { token: await token({ scope: 'foyer/admin.read' }) })).status).toBe(200);
      problem(await call('POST', '/clients/robot/secret', { token: await token({ scope: 'foyer/admin.read' }) }), 403);
      problem(await call('GET', '/clients/nobody'), 404);

      // What the API wrote, `config export` reads back (the secret as the placeholder), and the file applies unchanged.
      const exported = await exportPoolConfig(db.kysely, { includeSecrets: true });
      expect((exported.clients as Record<string, unknown>[]).find((c) => c.client_id === 'robot')).toEqual({ ...replaced.json, client_secret: REDACTED });
      const plan = await applyPoolConfig(db, parsePoolConfig(exported, 'export'), { dryRun: true });
      expect(plan.changes).toEqual([]);

      const etag = (await call('GET', '/clients/robot')).headers.get('etag')!;
      problem(await call('DELETE', '/clients/robot'), 428);
      expect((await call('DELETE', '/clients/robot', { headers: { 'if-match': etag } })).status).toBe(204);
      problem(await call('GET', '/clients/robot'), 404);
      expect(await findClient(db.kysely, 'robot')).toBeUndefined();

      const audit = (await call('GET', '/audit?resource_type=client&resource_id=robot')).json!.items as { action: string }[];
      expect(audit.map((e) => e.action)).toEqual(['client.delete', 'client.rotate_secret', 'client.update', 'client.create']);
      const text = JSON.stringify(audit);
      for (const s of [secret, fresh, 'hmac-sha256', '"client_secret"']) expect(text).not.toContain(s);
    });
  });

  it('resource servers: created by URL-encoded identifier, a stale ETag refused, scopes in use kept, the built-in foyer never changed; config export reads them back', async () => {
    await withApi(open, async ({ call, db }) => {
      const listed = await call('GET', '/resource-servers');
      expect((listed.json!.items as { identifier: string }[]).map((r) => r.identifier)).toEqual(['foyer']);
      expect((await call('GET', '/resource-servers/foyer')).json).toMatchObject({ identifier: 'foyer', scopes: [{ name: 'admin' }, { name: 'admin.read' }] });
      problem(await call('PUT', '/resource-servers/foyer', { body: { identifier: 'foyer', name: 'Mine' } }), 403);
      problem(await call('DELETE', '/resource-servers/foyer', { headers: { 'if-match': '*' } }), 403);

      const api = { identifier: API, name: 'Orders API', scopes: [{ name: 'read', description: 'Read orders' }, { name: 'write', description: 'Place orders' }] };
      const made = await call('PUT', `/resource-servers/${enc(API)}`, { body: api });
      expect(made.status).toBe(200);
      expect(made.json).toEqual(api);
      problem(await call('PUT', `/resource-servers/${enc(API)}`, { body: api }), 428);
      problem(await call('PUT', `/resource-servers/${enc('https://other.example.test')}`, { body: api }), 400);
      problem(await call('PUT', `/resource-servers/x`, { body: { identifier: 'x', name: 'X', scopes: [{ name: 'a/b', description: 'slash' }] } }), 400);
      problem(await call('PUT', `/resource-servers/y`, { body: { identifier: 'y', name: 'Y', introspection_clients: ['nobody'] } }), 400);
      problem(await call('GET', `/resource-servers/${enc('https://nowhere.example.test')}`), 404);

      // A client allowed one of its scopes keeps it there.
      const client = await call('POST', '/clients', { body: { client_id: 'orders-worker', grant_types: ['client_credentials'], scope: `${API}/read` } });
      expect(client.status).toBe(201);
      const dropRead = await call('PUT', `/resource-servers/${enc(API)}`, { body: { ...api, scopes: [api.scopes[1]] }, headers: { 'if-match': made.headers.get('etag')! } });
      problem(dropRead, 409);
      expect(dropRead.json!.detail).toMatch(/orders-worker/);
      problem(await call('DELETE', `/resource-servers/${enc(API)}`, { headers: { 'if-match': made.headers.get('etag')! } }), 409);
      const withIntrospector = await call('PUT', `/resource-servers/${enc(API)}`, { body: { ...api, name: 'Orders', introspection_clients: ['orders-worker'] }, headers: { 'if-match': made.headers.get('etag')! } });
      expect(withIntrospector.status).toBe(200);
      // The first ETag is stale now: neither a replace nor a delete lands with it.
      problem(await call('PUT', `/resource-servers/${enc(API)}`, { body: api, headers: { 'if-match': made.headers.get('etag')! } }), 412);
      expect((await call('GET', `/resource-servers/${enc(API)}`)).json).toEqual(withIntrospector.json);

      const exported = await exportPoolConfig(db.kysely, { includeSecrets: false });
      expect(exported.resource_servers).toEqual([withIntrospector.json]);
      expect((await applyPoolConfig(db, parsePoolConfig(exported, 'export'), { dryRun: true })).changes).toEqual([]);

      // The client an API names may not go; once neither names the other, both go.
      problem(await call('DELETE', '/clients/orders-worker', { headers: { 'if-match': client.headers.get('etag')! } }), 409);
      const cleared = await call('PUT', `/resource-servers/${enc(API)}`, { body: api, headers: { 'if-match': withIntrospector.headers.get('etag')! } });
      expect((await call('DELETE', '/clients/orders-worker', { headers: { 'if-match': client.headers.get('etag')! } })).status).toBe(204);
      problem(await call('DELETE', `/resource-servers/${enc(API)}`, { headers: { 'if-match': withIntrospector.headers.get('etag')! } }), 412);
      expect((await call('DELETE', `/resource-servers/${enc(API)}`, { headers: { 'if-match': cleared.headers.get('etag')! } })).status).toBe(204);
      const actions = ((await call('GET', '/audit?resource_type=resource_server')).json!.items as { action: string }[]).map((e) => e.action);
      expect(actions).toEqual(['resource_server.delete', 'resource_server.update', 'resource_server.update', 'resource_server.create']);
    });
  });

  it('identity providers: secrets sealed and never shown, the placeholder keeps them, SAML metadata read safely, in use refused; the account pages offer them', async () => {
    await withApi(open, async ({ call, db }) => {
      const upstreamSecret = 'upstream-secret-4f9a2c7e';
      const oidc = { name: 'Corp', type: 'oidc', issuer: 'https://login.corp.example.test', client_id: 'foyer', client_secret: upstreamSecret, idp_identifiers: ['corp.example.test'] };
      const made = await call('PUT', '/identity-providers/Corp', { body: oidc });
      expect(made.status).toBe(200);
      expect(made.json).toMatchObject({ name: 'Corp', type: 'oidc', client_secret: REDACTED, token_endpoint_auth_method: 'client_secret_basic' });
      const row = await db.kysely.selectFrom('identity_providers').select('config').where('name', '=', 'Corp').executeTakeFirstOrThrow();
      expect(row.config).not.toContain(upstreamSecret);
      expect((await findClient(db.kysely, ACCOUNT_CLIENT_ID))!.supported_identity_providers).toEqual(['COGNITO', 'Corp']);

      // Written back as shown, the secret stays; the placeholder on a new provider is refused.
      const renamed = await call('PUT', '/identity-providers/Corp', { body: { ...made.json, display_name: 'Corp SSO' }, headers: { 'if-match': made.headers.get('etag')! } });
      expect(renamed.status).toBe(200);
      expect((await exportPoolConfig(db.kysely, { includeSecrets: true })).identity_providers).toEqual([expect.objectContaining({ name: 'Corp', client_secret: upstreamSecret, display_name: 'Corp SSO' })]);
      const placeholder = await call('PUT', '/identity-providers/Other', { body: { ...oidc, name: 'Other', client_secret: REDACTED, idp_identifiers: [] } });
      problem(placeholder, 400);
      expect(placeholder.json!.errors).toEqual([{ pointer: '/client_secret', detail: expect.stringMatching(/placeholder/), code: 'secret_placeholder', params: {} }]);
      const taken = await call('PUT', '/identity-providers/Other', { body: { ...oidc, name: 'Other' } });
      problem(taken, 400);
      expect(taken.json!.errors).toEqual([{ pointer: '/idp_identifiers/0', detail: expect.stringMatching(/Corp/), code: 'in_use', params: { by: 'Corp' } }]);
      problem(await call('PUT', '/identity-providers/Corp', { body: oidc, headers: { 'if-match': made.headers.get('etag')! } }), 412);
      problem(await call('PUT', '/identity-providers/Bad', { body: { name: 'Bad', type: 'oidc', issuer: 'http://evil.example.test', client_id: 'x', client_secret: 'y' } }), 400);

      // SAML: metadata XML read safely; bad or hostile XML is a 400 on the field.
      const saml = { name: 'Campus', type: 'saml', metadata_xml: samlMetadata('https://idp.example.test') };
      for (const xml of ['<not-xml', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="e"/>']) {
        const bad = await call('PUT', '/identity-providers/Campus', { body: { ...saml, metadata_xml: xml } });
        problem(bad, 400);
        expect((bad.json!.errors as unknown[])[0]).toEqual({ pointer: '/metadata_xml', detail: expect.any(String), code: 'saml_metadata_invalid', params: {} });
      }
      const campus = await call('PUT', '/identity-providers/Campus', { body: saml });
      expect(campus.status).toBe(200);
      const imported = await call('POST', '/identity-providers/Campus/saml-metadata', { body: { metadata_xml: samlMetadata('https://idp2.example.test') } });
      expect(imported.status).toBe(200);
      expect(imported.json!.metadata).toEqual({ entity_id: 'https://idp2.example.test', single_sign_on: { redirect: 'https://idp.example.test/sso' }, signing_certificates: 1 });
      expect((await call('GET', '/identity-providers/Campus')).json!.metadata_xml).toContain('idp2.example.test');
      problem(await call('POST', '/identity-providers/Campus/saml-metadata', { body: { metadata_xml: '<x/>' } }), 400);
      problem(await call('POST', '/identity-providers/Corp/saml-metadata', { body: { metadata_xml: samlMetadata('https://idp3.example.test') } }), 409);
      problem(await call('POST', '/identity-providers/Nobody/saml-metadata', { body: { metadata_xml: samlMetadata('https://idp3.example.test') } }), 404);

      expect((await call('GET', '/identity-providers')).json!.items).toHaveLength(2);
      expect((await applyPoolConfig(db, parsePoolConfig(await exportPoolConfig(db.kysely, { includeSecrets: false }), 'export'), { dryRun: true })).changes).toEqual([]);

      // An app client offering it keeps it; then it goes, and the account pages no longer offer it.
      const app = await call('POST', '/clients', { body: { client_id: 'corp-app', redirect_uris: ['https://app.example.test/cb'], supported_identity_providers: ['COGNITO', 'Corp'] } });
      expect(app.status).toBe(200 + 1);
      const current = (await call('GET', '/identity-providers/Corp')).headers.get('etag')!;
      problem(await call('DELETE', '/identity-providers/Corp', { headers: { 'if-match': current } }), 409);
      expect((await call('DELETE', '/clients/corp-app', { headers: { 'if-match': app.headers.get('etag')! } })).status).toBe(204);
      expect((await call('DELETE', '/identity-providers/Corp', { headers: { 'if-match': current } })).status).toBe(204);
      expect((await findClient(db.kysely, ACCOUNT_CLIENT_ID))!.supported_identity_providers).toEqual(['COGNITO', 'Campus']);

      const audit = (await call('GET', '/audit?resource_type=identity_provider')).json!.items as { action: string }[];
      expect(audit.map((e) => e.action)).toEqual(['identity_provider.delete', 'identity_provider.update', 'identity_provider.create', 'identity_provider.update', 'identity_provider.create']);
      expect(JSON.stringify(audit)).not.toContain(upstreamSecret);
    });
  });
});
