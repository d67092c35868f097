import { describe, expect, it } from 'vitest';
import { REDACTED } from './redacted';
import { demoSeed, parsePoolConfig, parseSeed, poolSettingsSchema } from './seed';

const client = {
  client_id: 'app',
  client_secret: 'a-secret-of-at-least-16',
  redirect_uris: ['https://app.example.com/callback'],
};

describe('parseSeed', () => {
  it('accepts the demo seed', () => {
    const seed = demoSeed('http://localhost:3000');
    expect(seed.clients).toHaveLength(1);
    expect(seed.clients[0]).toMatchObject({
      client_id: 'demo',
      redirect_uris: ['http://localhost:3000/api/demo/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(seed.clients[0].client_secret?.length).toBeGreaterThanOrEqual(16);
    expect(seed.pool.name).toBe('Foyer demo');
    expect(seed.pool.custom_attributes).toEqual([{ name: 'custom:plan', type: 'String', required: false, mutable: true }]);
    // Re-parsing its own output must succeed too (the seed is also the export format).
    expect(parseSeed(JSON.parse(JSON.stringify(seed)))).toEqual(seed);
  });

  it('fills defaults for an empty seed', () => {
    const seed = parseSeed({});
    expect(seed.pool).toEqual(poolSettingsSchema.parse({}));
    // Password-only by default (MFA OFF): 15 characters, as NIST SP 800-63B-4 asks.
    expect(seed.pool.password_policy.min_length).toBe(15);
    expect(seed.clients).toEqual([]);
    expect(seed.users).toEqual([]);
  });

  it('asks 12 characters by default where MFA is on, and keeps an explicit minimum', () => {
    expect(parseSeed({ pool: { mfa: { mode: 'OPTIONAL' } } }).pool.password_policy.min_length).toBe(12);
    expect(parseSeed({ pool: { mfa: { mode: 'REQUIRED' } } }).pool.password_policy.min_length).toBe(12);
    expect(parseSeed({ pool: { password_policy: { min_length: 10 } } }).pool.password_policy.min_length).toBe(10);
    expect(parseSeed({ pool: { mfa: { mode: 'REQUIRED' }, password_policy: { min_length: 20 } } }).pool.password_policy.min_length).toBe(20);
  });

  it('allows SMS codes as a factor, with anti-pumping limits that default and can be set', () => {
    const defaults = parseSeed({ pool: { mfa: { mode: 'REQUIRED', factors: ['sms'] } } }).pool;
    expect(defaults.mfa.factors).toEqual(['sms']);
    expect(defaults.rate_limits).toMatchObject({ sms_per_number_per_hour: 10, sms_per_ip_per_hour: 20, sms_per_country_code_per_hour: 300 });
    expect(parseSeed({ pool: { rate_limits: { sms_per_ip_per_hour: 3 } } }).pool.rate_limits).toMatchObject({ sms_per_ip_per_hour: 3, sms_per_number_per_hour: 10 });
    expect(() => parseSeed({ pool: { rate_limits: { sms_per_number_per_hour: 0 } } })).toThrow(/pool\.rate_limits\.sms_per_number_per_hour/);
    expect(() => parseSeed({ pool: { mfa: { factors: ['carrier-pigeon'] } } })).toThrow(/pool\.mfa\.factors\.0/);
  });

  it('rejects an invalid redirect URI, naming the field path', () => {
    expect(() => parseSeed({ clients: [{ ...client, redirect_uris: ['not a url'] }] })).toThrow(
      /field "clients\.0\.redirect_uris\.0"/,
    );
    expect(() =>
      parseSeed({ clients: [client, { ...client, client_id: 'b', redirect_uris: ['https://ok.example/cb', 'javascript:alert(1)'] }] }),
    ).toThrow(/field "clients\.1\.redirect_uris\.1"/);
  });

  it('rejects a confidential client without client_secret, naming the field path', () => {
    const { client_secret: _, ...noSecret } = client;
    expect(() => parseSeed({ clients: [noSecret] }, 'pool.json')).toThrow(
      /Invalid pool config \(pool\.json\): field "clients\.0\.client_secret": a confidential client needs a client_secret/,
    );
  });

  it('accepts a public client without a secret', () => {
    const { client_secret: _, ...noSecret } = client;
    const seed = parseSeed({ clients: [{ ...noSecret, token_endpoint_auth_method: 'none' }] });
    expect(seed.clients[0].client_secret).toBeUndefined();
  });

  it('rejects unknown keys and bad custom attribute names', () => {
    expect(() => parseSeed({ pool: { nmae: 'typo' } })).toThrow(/field "pool"/);
    expect(() => parseSeed({ pool: { custom_attributes: [{ name: 'plan' }] } })).toThrow(
      /field "pool\.custom_attributes\.0\.name": must look like custom:name/,
    );
  });
});

describe('seed references', () => {
  const base = { clients: [], groups: [{ name: 'staff' }], pool: { custom_attributes: [{ name: 'custom:plan' }] } };
  it('names an undeclared group', () => {
    expect(() => parseSeed({ ...base, users: [{ username: 'a', groups: ['nope'] }] })).toThrow(/users\.0\.groups\.0/);
  });
  it('names an undeclared attribute', () => {
    expect(() => parseSeed({ ...base, users: [{ username: 'a', attributes: { 'custom:tier': 'x' } }] })).toThrow(/users\.0\.attributes\.custom:tier/);
  });
  it('names a duplicate username, whatever its case', () => {
    expect(() => parseSeed({ ...base, users: [{ username: 'Bob' }, { username: 'bob' }] })).toThrow(/users\.1\.username/);
  });
  it('accepts declared references', () => {
    const seed = parseSeed({ ...base, users: [{ username: 'a', groups: ['staff'], attributes: { 'custom:plan': 'pro', given_name: 'A' } }] });
    expect(seed.users[0].groups).toEqual(['staff']);
  });
});

describe('client metadata that would only fail at sign-in time is refused at start', () => {
  const withClient = (over: Record<string, unknown>) => () =>
    parseSeed({ clients: [{ client_id: 'web', client_secret: 's'.repeat(32), redirect_uris: ['https://app.example/cb'], ...over }] });
  it('unknown or missing scopes', () => {
    expect(withClient({ scope: 'openid bogus' })).toThrow(/clients\.0\.scope/);
    expect(withClient({ scope: 'openid https://api.example/has space' })).toThrow(/clients\.0\.scope/);
    expect(withClient({ scope: 'email profile' })).toThrow(/clients\.0\.scope.*openid/);
  });
  it('scopes written for Cognito and other providers (issue 13.4)', () => {
    const seed = withClient({ scope: 'openid email offline_access aws.cognito.signin.user.admin' })();
    expect(seed.clients[0].scope).toBe('openid email offline_access aws.cognito.signin.user.admin');
  });
  it('a public client may not use client_credentials', () => {
    expect(withClient({ token_endpoint_auth_method: 'none', client_secret: undefined, grant_types: ['authorization_code', 'client_credentials'] })).toThrow(
      /clients\.0\.grant_types.*confidential/,
    );
  });
  it('the admin API\'s scopes only through client_credentials', () => {
    expect(withClient({ scope: 'openid foyer/admin' })).toThrow(/clients\.0\.scope.*client_credentials/);
    expect(withClient({ scope: 'openid foyer/admin', grant_types: ['authorization_code', 'client_credentials'] })).not.toThrow();
  });
  it('a resource server named foyer, or twice, or with a scope twice', () => {
    const rs = { identifier: 'https://api.example', name: 'API', scopes: [{ name: 'read', description: 'Read' }] };
    expect(() => parseSeed({ resource_servers: [{ ...rs, identifier: 'foyer' }] })).toThrow(/resource_servers\.0\.identifier.*built-in/);
    expect(() => parseSeed({ resource_servers: [rs, rs] })).toThrow(/resource_servers\.1\.identifier.*duplicate/);
    expect(() => parseSeed({ resource_servers: [{ ...rs, scopes: [...rs.scopes, ...rs.scopes] }] })).toThrow(/resource_servers\.0\.scopes\.1\.name.*duplicate/);
    expect(() => parseSeed({ resource_servers: [{ ...rs, identifier: 'https://api.example/#x' }] })).toThrow(/resource_servers\.0\.identifier/);
    expect(() => parseSeed({ resource_servers: [{ ...rs, scopes: [{ name: 'a/b', description: 'x' }] }] })).toThrow(/resource_servers\.0\.scopes\.0\.name/);
  });
  it('a redirect URI with a fragment', () => {
    expect(withClient({ redirect_uris: ['https://app.example/cb#x'] })).toThrow(/clients\.0\.redirect_uris\.0/);
  });
  it('grant types without the authorization code', () => {
    expect(withClient({ grant_types: ['refresh_token'] })).toThrow(/clients\.0\.grant_types/);
    expect(withClient({ grant_types: ['client_credentials', 'refresh_token'] })).toThrow(/clients\.0\.grant_types.*refresh_token needs authorization_code/);
  });
  it('a machine client (client_credentials only) has no redirect URIs and no default scope', () => {
    const seed = parseSeed({ clients: [{ client_id: 'svc', client_secret: 's'.repeat(32), grant_types: ['client_credentials'] }] });
    expect(seed.clients[0]).toMatchObject({ redirect_uris: [], grant_types: ['client_credentials'], scope: '' });
    // The export format parses again to the same.
    expect(parseSeed(JSON.parse(JSON.stringify(seed)))).toEqual(seed);
  });
  it('a client that signs users in needs a redirect URI', () => {
    expect(withClient({ redirect_uris: [] })).toThrow(/clients\.0\.redirect_uris.*at least one/);
  });
  it('the client id the account pages use', () => {
    expect(withClient({ client_id: 'foyer-account' })).toThrow(/clients\.0\.client_id.*reserved/);
  });
  it('duplicate group names', () => {
    expect(() => parseSeed({ groups: [{ name: 'a' }, { name: 'a' }] })).toThrow(/groups\.1\.name/);
  });
});

describe('users moved from elsewhere', () => {
  const providers = [{ name: 'Corp', type: 'oidc', issuer: 'https://idp.corp.example', client_id: 'foyer', client_secret: 's' }];
  const bcryptHash = '$2b$04$e7M87tE2GuSGyBUo1FlPseZbwvEG22SaurHqmVS.eHtm3eVjy.5Z2';
  it('take a password hash in a known format, or a password, not both', () => {
    expect(parseSeed({ users: [{ username: 'a', password_hash: bcryptHash }] }).users[0]).toMatchObject({ password_hash: bcryptHash, enabled: true, identities: [] });
    expect(() => parseSeed({ users: [{ username: 'a', password_hash: 'md5:5f4dcc3b5aa765d61d8327deb882cf99' }] })).toThrow(/users\.0\.password_hash.*not a supported password hash/);
    expect(() => parseSeed({ users: [{ username: 'a', password: 'x', password_hash: bcryptHash }] })).toThrow(/users\.0\.password_hash.*not both/);
  });
  it('keep their sub, once per file', () => {
    const sub = '3f0e1d2c-4b5a-4c6d-8e7f-0123456789ab';
    expect(parseSeed({ users: [{ username: 'a', sub }] }).users[0].sub).toBe(sub);
    expect(() => parseSeed({ users: [{ username: 'a', sub: 'user-1' }] })).toThrow(/users\.0\.sub/);
    expect(() => parseSeed({ users: [{ username: 'a', sub }, { username: 'b', sub: sub.toUpperCase() }] })).toThrow(/users\.1\.sub.*duplicate sub/);
  });
  it('federated users have identities at declared providers and no password', () => {
    const fed = { username: 'Corp_1', status: 'EXTERNAL_PROVIDER', identities: [{ provider: 'Corp', subject: '1' }] };
    expect(parseSeed({ identity_providers: providers, users: [fed] }).users[0].identities).toEqual([{ provider: 'Corp', subject: '1' }]);
    expect(() => parseSeed({ users: [fed] })).toThrow(/users\.0\.identities\.0\.provider.*not declared/);
    expect(() => parseSeed({ identity_providers: providers, users: [{ ...fed, identities: [] }] })).toThrow(/users\.0\.status.*identities and no password/);
    expect(() => parseSeed({ identity_providers: providers, users: [{ ...fed, password: 'pw' }] })).toThrow(/users\.0\.status/);
    expect(() => parseSeed({ identity_providers: providers, users: [fed, { ...fed, username: 'other' }] })).toThrow(/users\.1\.identities\.0\.subject.*duplicate identity/);
  });
});

describe('the pool config file', () => {
  it('remembers which sections it named', () => {
    expect([...parsePoolConfig({ clients: [], pool: {} }).sections].sort()).toEqual(['clients', 'pool']);
    expect([...parsePoolConfig({}).sections]).toEqual([]);
  });
  it("accepts the export's placeholder for secrets, even where a real one must be a key", () => {
    const seed = parseSeed({
      identity_providers: [{ name: 'Apple', type: 'apple', client_id: 'com.x', team_id: 'ABCDE12345', key_id: 'KEY1234567', private_key: REDACTED }],
      clients: [{ client_id: 'web', client_secret: REDACTED, redirect_uris: ['https://app.example/cb'] }],
    });
    expect(seed.clients[0].client_secret).toBe(REDACTED);
  });
});
