import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { issueCode } from './field-codes';
import { customAttributeSchema, seedSchema } from './seed';

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

  it('keeps invalid_pattern for a regex with no code of its own', () => {
    const bare = z.object({ v: z.string().regex(/^x+$/) });
    expect(codesOf(bare, { v: 'y' })).toEqual({ v: [{ code: 'invalid_pattern', params: {} }] });
  });
});
