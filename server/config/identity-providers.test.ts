import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSeed } from './seed';

const p8 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

const client = { client_id: 'web', client_secret: 's'.repeat(32), redirect_uris: ['https://app.example/cb'] };
const oidc = { name: 'Corp', type: 'oidc', issuer: 'https://idp.corp.example', client_id: 'foyer', client_secret: 'secret' };

/** Parses a seed with these providers (and clients); returns it, or throws naming the field. */
const withProviders = (providers: unknown[], clients: unknown[] = [client], pool: object = {}) => parseSeed({ pool, clients, identity_providers: providers });

describe('identity providers in the pool config', () => {
  it('accepts one of each type, with defaults filled', () => {
    const seed = withProviders([
      oidc,
      { name: 'Google', type: 'google', client_id: 'g.apps.googleusercontent.com', client_secret: 'x' },
      { name: 'SignInWithApple', type: 'apple', client_id: 'com.example.web', team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: p8 },
      { name: 'Facebook', type: 'facebook', client_id: '1234', client_secret: 'x' },
      { name: 'LoginWithAmazon', type: 'amazon', client_id: 'amzn1.application', client_secret: 'x' },
      { name: 'Entra', type: 'microsoft', tenant_id: '0b7b5e0e-1c5d-4a8e-9d43-0f1a2b3c4d5e', client_id: 'app', client_secret: 'x' },
      { name: 'Okta', type: 'saml', metadata_url: 'https://corp.okta.example/app/sso/saml/metadata', idp_identifiers: ['corp.example'] },
    ]);
    expect(seed.identity_providers.map((p) => p.type)).toEqual(['oidc', 'google', 'apple', 'facebook', 'amazon', 'microsoft', 'saml']);
    expect(seed.identity_providers[0]).toMatchObject({ token_endpoint_auth_method: 'client_secret_basic', response_mode: 'query', idp_identifiers: [] });
    expect(seed.identity_providers[6]).toMatchObject({ idp_initiated: false, request_binding: 'HTTP-Redirect', sign_out: true });
    // Apps allow only the pool's own sign-in unless they say otherwise (Cognito's COGNITO).
    expect(seed.clients[0].supported_identity_providers).toEqual(['COGNITO']);
    // The seed is also the export format: its own output parses back to itself.
    expect(parseSeed(JSON.parse(JSON.stringify(seed)))).toEqual(seed);
  });

  it('names the field of a bad record', () => {
    expect(() => withProviders([{ ...oidc, type: 'ldap' }])).toThrow(/field "identity_providers\.0\.type"/);
    expect(() => withProviders([{ ...oidc, issuer: 'http://idp.corp.example' }])).toThrow(/field "identity_providers\.0\.issuer": must be an https URL \(http only on a loopback address\)/);
    expect(() => withProviders([{ ...oidc, client_secret: undefined }])).toThrow(/field "identity_providers\.0\.client_secret": required unless token_endpoint_auth_method is "none"/);
    expect(() => withProviders([{ ...oidc, scopes: ['email'] }])).toThrow(/field "identity_providers\.0\.scopes": must include openid/);
    expect(() => withProviders([{ ...oidc, name: 'COGNITO' }])).toThrow(/field "identity_providers\.0\.name": "COGNITO" is reserved/);
    expect(() => withProviders([{ ...oidc, name: 'has space' }])).toThrow(/field "identity_providers\.0\.name"/);
    expect(() => withProviders([{ ...oidc, unknown_option: true }])).toThrow(/field "identity_providers\.0"/);
    expect(() => withProviders([{ ...oidc, attribute_mapping: { favourite_colour: 'colour' } }])).toThrow(/field "identity_providers\.0\.attribute_mapping\.favourite_colour"/);
    expect(() => withProviders([{ name: 'A', type: 'apple', client_id: 'x', team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: rsa }])).toThrow(
      /field "identity_providers\.0\.private_key": must be the \.p8 key/,
    );
    expect(() => withProviders([{ name: 'A', type: 'apple', client_id: 'x', team_id: 'short', key_id: 'KEY1234567', private_key: p8 }])).toThrow(/identity_providers\.0\.team_id/);
    expect(() => withProviders([{ name: 'E', type: 'microsoft', tenant_id: 'common', client_id: 'a', client_secret: 'b' }])).toThrow(/identity_providers\.0\.tenant_id/);
    expect(() => withProviders([{ name: 'S', type: 'saml' }])).toThrow(/field "identity_providers\.0\.metadata_url": give exactly one of metadata_url and metadata_xml/);
    expect(() => withProviders([{ name: 'S', type: 'saml', metadata_url: 'https://x.example/m', metadata_xml: '<x/>' }])).toThrow(/identity_providers\.0\.metadata_url/);
  });

  it('allows plain http only on a loopback address (tests, local development)', () => {
    expect(withProviders([{ ...oidc, issuer: 'http://127.0.0.1:4000' }]).identity_providers[0]).toMatchObject({ issuer: 'http://127.0.0.1:4000' });
    expect(() => withProviders([{ name: 'F', type: 'facebook', client_id: 'a', client_secret: 'b', token_endpoint: 'http://10.0.0.1/token' }])).toThrow(/identity_providers\.0\.token_endpoint/);
  });

  it('checks references across the file', () => {
    expect(() => withProviders([oidc, { ...oidc, name: 'corp' }])).toThrow(/field "identity_providers\.1\.name": duplicate provider name/);
    expect(() => withProviders([{ ...oidc, idp_identifiers: ['corp.example'] }, { ...oidc, name: 'B', idp_identifiers: ['Corp.Example'] }])).toThrow(
      /field "identity_providers\.1\.idp_identifiers\.0": already used by provider "Corp"/,
    );
    expect(() => withProviders([{ ...oidc, attribute_mapping: { 'custom:plan': 'plan' } }])).toThrow(/identity_providers\.0\.attribute_mapping\.custom:plan.*declare custom ones/);
    expect(withProviders([{ ...oidc, attribute_mapping: { 'custom:plan': 'plan' } }], [client], { custom_attributes: [{ name: 'custom:plan' }] }).identity_providers).toHaveLength(1);
    expect(() => withProviders([oidc], [{ ...client, supported_identity_providers: ['COGNITO', 'Nope'] }])).toThrow(
      /field "clients\.0\.supported_identity_providers\.1": "Nope" is neither COGNITO nor a provider/,
    );
    expect(() => withProviders([oidc], [{ ...client, supported_identity_providers: ['Corp', 'Corp'] }])).toThrow(/clients\.0\.supported_identity_providers\.1": listed twice/);
    expect(() => withProviders([oidc], [{ ...client, supported_identity_providers: [] }])).toThrow(/clients\.0\.supported_identity_providers/);
    expect(withProviders([oidc], [{ ...client, supported_identity_providers: ['Corp'] }]).clients[0].supported_identity_providers).toEqual(['Corp']);
  });
});
