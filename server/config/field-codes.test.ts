import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueCode } from './field-codes';
import { samlProviderSchema } from '../federation/saml/provider';
import { themeInput } from '../../themes/schema';
import { customAttributeSchema, providerSubject, seedSchema } from './seed';

/** The codes (and params) of what `schema` refuses in `input`, by dotted path. */
function codesOf(schema: z.ZodType, input: unknown): Record<string, { code: string; params: Record<string, string> }[]> {
  const result = schema.safeParse(input);
  if (result.success) return {};
  const byPath: Record<string, { code: string; params: Record<string, string> }[]> = {};
  for (const i of result.error.issues) (byPath[i.path.join('.')] ??= []).push(issueCode(i, input));
  return byPath;
}

const client = { client_id: 'web', client_secret: 's'.repeat(32), redirect_uris: ['https://app.example/cb'] };

describe('the codes of the schemas’ rules and formats', () => {
  it('codes a custom attribute’s rules and formats', () => {
    expect(codesOf(customAttributeSchema, { name: 'plan', labels: { English: 'Plan' } })).toEqual({
      name: [{ code: 'custom_attribute_name', params: {} }],
      'labels.English': [{ code: 'locale_tag', params: {} }],
    });
    // The rules across fields run once the fields are well-formed.
    expect(codesOf(customAttributeSchema, { name: 'custom:plan', type: 'String', min_value: 1 })).toEqual({ min_value: [{ code: 'only_for_type', params: { type: 'Number' } }] });
  });

  it('codes the providers’ formats and an IdP-initiated sign-in’s client', () => {
    const codes = codesOf(seedSchema, {
      clients: [client],
      identity_providers: [
        { name: 'A', type: 'apple', client_id: 'x', team_id: 'short', key_id: 'KEY1234567', private_key: 'x' },
        { name: 'E', type: 'microsoft', tenant_id: 'common', client_id: 'a', client_secret: 'b' },
        { name: 'F', type: 'facebook', client_id: 'a', client_secret: 'b', api_version: '19' },
      ],
    });
    expect(codes['identity_providers.0.team_id']).toEqual([{ code: 'apple_id', params: {} }]);
    expect(codes['identity_providers.1.tenant_id']).toEqual([{ code: 'tenant_guid', params: {} }]);
    expect(codes['identity_providers.2.api_version']).toEqual([{ code: 'version_like', params: { example: 'v19.0' } }]);
    const saml = { name: 'Okta', type: 'saml', metadata_url: 'https://idp.example/m', idp_initiated: true, idp_initiated_login: { client_id: 'web', login_uri: 'https://app.example/login' } };
    expect(codesOf(seedSchema, { clients: [client], identity_providers: [saml] })).toEqual({
      'identity_providers.0.idp_initiated_login.client_id': [{ code: 'idp_initiated_client', params: { provider: 'Okta' } }],
    });
  });

  it('codes a resource server’s name, a provider’s authorize_params names, a SAML provider’s metadata and a user’s provider subject', () => {
    const codes = codesOf(seedSchema, {
      resource_servers: [{ identifier: 'https://api.example', name: 'Orders / Billing' }],
      identity_providers: [
        { name: 'O', type: 'oidc', issuer: 'https://idp.example', client_id: 'a', client_secret: 'b', authorize_params: { 'Prompt-Mode': 'x', ok_one: 'y' } },
        { name: 'S', type: 'saml' },
        { name: 'T', type: 'saml', metadata_url: 'https://idp.example/m', metadata_xml: '<x/>' },
      ],
      users: [{ username: 'ann', identities: [{ provider: 'O', subject: 'line\nbreak' }] }],
    });
    expect(codes['resource_servers.0.name']).toEqual([{ code: 'allowed_chars_spaces', params: { chars: '_+=,.@-' } }]);
    expect(codes['identity_providers.0.authorize_params.Prompt-Mode']).toEqual([{ code: 'lower_underscore', params: { max: '64' } }]);
    expect(codes['identity_providers.1.metadata_url']).toEqual([{ code: 'saml_metadata_source', params: {} }]);
    expect(codes['identity_providers.2.metadata_url']).toEqual([{ code: 'saml_metadata_source', params: {} }]);
    expect(codes['users.0.identities.0.subject']).toEqual([{ code: 'no_control_characters', params: {} }]);
    expect(Object.keys(codes).sort()).toEqual(['identity_providers.0.authorize_params.Prompt-Mode', 'identity_providers.1.metadata_url', 'identity_providers.2.metadata_url', 'resource_servers.0.name', 'users.0.identities.0.subject']);
    // Federation takes a provider's subject by the same rule (a SAML NameID may be long: 1024).
    expect(codesOf(providerSubject, 'tab\there')).toEqual({ '': [{ code: 'no_control_characters', params: {} }] });
    expect(providerSubject.safeParse('x'.repeat(1024)).success).toBe(true);
  });

  it('codes the SAML core’s own record and a theme’s link languages and font name', () => {
    expect(codesOf(samlProviderSchema, { name: ' Okta', metadata_url: 'https://idp.example/m', name_id_format: 'email' })).toEqual({
      name: [{ code: 'trimmed_text', params: {} }],
      name_id_format: [{ code: 'urn', params: {} }],
    });
    expect(codesOf(samlProviderSchema, { name: 'Okta' })).toEqual({ metadata_xml: [{ code: 'saml_metadata_source', params: {} }] });
    const theme = { id: 'acme', name: 'Acme', links: { terms: { 'EN!': 'https://acme.example/terms', default: 'https://acme.example/t' } }, font: { upload: `asset:${'a'.repeat(64)}`, name: 'Acme/Sans' } };
    expect(codesOf(themeInput, theme)).toEqual({
      'links.terms.EN!': [{ code: 'link_locale', params: {} }],
      'font.name': [{ code: 'allowed_chars_spaces', params: { chars: '_-' } }],
    });
  });

  it('keeps invalid_pattern for a regex with no code of its own', () => {
    const bare = z.object({ v: z.string().regex(/^x+$/) });
    expect(codesOf(bare, { v: 'y' })).toEqual({ v: [{ code: 'invalid_pattern', params: {} }] });
  });
});
