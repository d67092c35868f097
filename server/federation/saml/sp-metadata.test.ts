import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDb } from '../../testing/databases';
import { spFromMetadata } from '../../testing/saml-idp';
import { certificateBody } from './certificate';
import { providerNameFromEntityId, spEndpoints } from './endpoints';
import { samlProviderSchema } from './provider';
import { loadOrCreateSpKeys, spKeys } from './sp-keys';
import { spMetadataXml } from './sp-metadata';
import { attr, children, descendants, NS, parseXml } from './xml';

const PUBLIC_URL = 'https://id.example.test';

describeEachDb('SAML SP keys and metadata', (open) => {
  it('instances starting together agree on one pair of SP keys, kept in the database', async () => {
    const db = await open();
    const [a, b, c] = await Promise.all([loadOrCreateSpKeys(db.kysely), loadOrCreateSpKeys(db.kysely), loadOrCreateSpKeys(db.kysely)]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(await spKeys(db.kysely)).toEqual(a);
    const rows = await db.kysely.selectFrom('secrets').select('name').where('name', 'like', 'saml%').execute();
    expect(rows).toEqual([{ name: 'saml-sp-keys' }]);
    for (const pair of [a.signing, a.encryption]) {
      const cert = new X509Certificate(pair.certificatePem);
      expect(cert.verify(cert.publicKey)).toBe(true); // self-signed
      expect(createPublicKey(createPrivateKey(pair.privateKeyPem)).export({ type: 'spki', format: 'pem' })).toBe(cert.publicKey.export({ type: 'spki', format: 'pem' }));
      expect(new Date(cert.validTo).getTime()).toBeGreaterThan(Date.now() + 9 * 365 * 86_400_000);
    }
    expect(a.signing.privateKeyPem).not.toBe(a.encryption.privateKeyPem);
  });

  it('publishes entity ID, ACS, SLO and both certificates per provider', async () => {
    const db = await open();
    const provider = samlProviderSchema.parse({ name: 'Acme SSO', metadata_url: 'https://idp.example.test/metadata', name_id_format: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' });
    const xml = await spMetadataXml({ db: db.kysely, publicUrl: PUBLIC_URL }, provider);
    const keys = await spKeys(db.kysely);
    const root = parseXml(xml)?.documentElement;
    expect(root?.localName).toBe('EntityDescriptor');
    expect(attr(root, 'entityID')).toBe('https://id.example.test/saml2/metadata/Acme%20SSO');
    expect(providerNameFromEntityId(PUBLIC_URL, attr(root, 'entityID')!)).toBe('Acme SSO');
    const sp = children(root!, NS.metadata, 'SPSSODescriptor')[0];
    expect(attr(sp, 'AuthnRequestsSigned')).toBe('true');
    expect(attr(sp, 'WantAssertionsSigned')).toBe('true');
    expect(attr(sp, 'protocolSupportEnumeration')).toBe(NS.protocol);
    const acs = children(sp, NS.metadata, 'AssertionConsumerService');
    expect(acs.map((s) => [attr(s, 'Binding'), attr(s, 'Location')])).toEqual([
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'https://id.example.test/saml2/idpresponse'],
    ]);
    const slo = children(sp, NS.metadata, 'SingleLogoutService');
    expect(slo.map((s) => [attr(s, 'Binding'), attr(s, 'Location')])).toEqual([
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', 'https://id.example.test/saml2/logout'],
      ['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', 'https://id.example.test/saml2/logout'],
    ]);
    const certs = Object.fromEntries(
      children(sp, NS.metadata, 'KeyDescriptor').map((k) => [attr(k, 'use'), descendants(k, NS.dsig, 'X509Certificate')[0].textContent?.replace(/\s+/g, '')]),
    );
    expect(certs).toEqual({ signing: certificateBody(keys.signing.certificatePem), encryption: certificateBody(keys.encryption.certificatePem) });
    expect(children(sp, NS.metadata, 'NameIDFormat').map((n) => n.textContent)).toEqual(['urn:oasis:names:tc:SAML:2.0:nameid-format:persistent']);
    // What an IdP reads from it.
    expect(spFromMetadata(xml)).toEqual({
      entityId: 'https://id.example.test/saml2/metadata/Acme%20SSO',
      acsUrl: 'https://id.example.test/saml2/idpresponse',
      sloUrl: 'https://id.example.test/saml2/logout',
      signingCertificatePem: new X509Certificate(keys.signing.certificatePem).toString(),
      encryptionCertificatePem: new X509Certificate(keys.encryption.certificatePem).toString(),
    });
  });

  it('says AuthnRequestsSigned="false" when the provider does not sign requests, and names no NameID format unless set', async () => {
    const db = await open();
    const provider = samlProviderSchema.parse({ name: 'Plain', metadata_url: 'https://idp.example.test/metadata', sign_requests: false });
    const xml = await spMetadataXml({ db: db.kysely, publicUrl: PUBLIC_URL }, provider);
    const sp = children(parseXml(xml)!.documentElement, NS.metadata, 'SPSSODescriptor')[0];
    expect(attr(sp, 'AuthnRequestsSigned')).toBe('false');
    expect(children(sp, NS.metadata, 'NameIDFormat')).toHaveLength(0);
    expect(children(sp, NS.metadata, 'KeyDescriptor').map((k) => attr(k, 'use'))).toEqual(['signing', 'encryption']);
  });
});

it('SP endpoints follow PUBLIC_URL and encode the provider name', () => {
  expect(spEndpoints('http://localhost:3000/', 'a/b c')).toEqual({
    entityId: 'http://localhost:3000/saml2/metadata/a%2Fb%20c',
    metadataUrl: 'http://localhost:3000/saml2/metadata/a%2Fb%20c',
    acsUrl: 'http://localhost:3000/saml2/idpresponse',
    sloUrl: 'http://localhost:3000/saml2/logout',
  });
  expect(providerNameFromEntityId('http://localhost:3000', 'http://localhost:3000/saml2/metadata/a%2Fb%20c')).toBe('a/b c');
  expect(providerNameFromEntityId('http://localhost:3000', 'http://evil.test/saml2/metadata/x')).toBeNull();
  expect(providerNameFromEntityId('http://localhost:3000', 'http://localhost:3000/saml2/metadata/%E0%A4%A')).toBeNull();
});

it('the provider record: defaults, exactly one metadata source, Cognito-like names', () => {
  expect(samlProviderSchema.parse({ name: 'Okta', metadata_url: 'https://okta.example.test/md', type: 'saml' })).toEqual({
    name: 'Okta',
    metadata_url: 'https://okta.example.test/md',
    attribute_mapping: {},
    idp_initiated: false,
    sign_requests: true,
    binding: 'redirect',
  });
  expect(samlProviderSchema.safeParse({ name: 'X' }).success).toBe(false);
  expect(samlProviderSchema.safeParse({ name: 'X', metadata_url: 'https://a.test/m', metadata_xml: '<x/>' }).success).toBe(false);
  expect(samlProviderSchema.safeParse({ name: 'X', metadata_url: 'ftp://a.test/m' }).success).toBe(false);
  expect(samlProviderSchema.safeParse({ name: ' X', metadata_url: 'https://a.test/m' }).success).toBe(false);
  expect(samlProviderSchema.safeParse({ name: 'x'.repeat(33), metadata_url: 'https://a.test/m' }).success).toBe(false);
  expect(samlProviderSchema.safeParse({ name: 'X', metadata_url: 'https://a.test/m', binding: 'artifact' }).success).toBe(false);
  expect(samlProviderSchema.safeParse({ name: 'X', metadata_url: 'https://a.test/m', name_id_format: 'email' }).success).toBe(false);
});
