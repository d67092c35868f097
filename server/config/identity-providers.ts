import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { REDACTED } from './redacted';
import { coded, codedPattern } from './field-codes';

/**
 * Outside identity providers in the pool config (`identity_providers`), as stored in the
 * `identity_providers` table. One record per provider; `type` picks the protocol and preset.
 */
export const providerTypes = ['oidc', 'saml', 'google', 'apple', 'facebook', 'amazon', 'microsoft'] as const;
export type ProviderType = (typeof providerTypes)[number];

/** Cognito's `providerType` for each of our types (what the `identities` claim says). */
export const cognitoProviderType: Record<ProviderType, string> = {
  oidc: 'OIDC',
  microsoft: 'OIDC',
  saml: 'SAML',
  google: 'Google',
  apple: 'SignInWithApple',
  facebook: 'Facebook',
  amazon: 'LoginWithAmazon',
};

/** The pool's own sign-in in an app client's `supported_identity_providers`, as in Cognito. */
export const COGNITO = 'COGNITO';

const providerName = z
  .string()
  .regex(codedPattern(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'allowed_chars', { chars: '._-', max: '32' }), '1 to 32 letters, digits and ._- (starting with a letter or digit)')
  .refine((n) => n.toUpperCase() !== COGNITO, coded('reserved', '"COGNITO" is reserved for the pool\'s own sign-in'));

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** Provider endpoints are https; plain http only on this machine (tests, local development). */
const endpoint = z
  .url({ protocol: /^https?$/ })
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || loopbackHosts.has(url.hostname);
  }, coded('https_only', 'must be an https URL (http only on a loopback address)'))
  .refine((u) => !u.includes('#'), coded('no_fragment', 'may not contain a fragment'));

/** Pool attributes a provider's claims may fill; custom:* ones must be declared by the pool. */
export const mappableAttributes = [
  'email', 'email_verified', 'phone_number', 'phone_number_verified', 'name', 'given_name', 'family_name',
  'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate',
  'zoneinfo', 'locale', 'address',
] as const;
const mappedAttribute = z.union([
  z.enum(mappableAttributes),
  z.string().regex(codedPattern(/^custom:[A-Za-z0-9_]{1,20}$/, 'custom_attribute_name'), `must be one of ${mappableAttributes.join(', ')} or custom:name`),
]);
/** pool attribute -> provider claim (OIDC) or attribute (SAML); a dotted path reaches into objects. */
const attributeMapping = z.record(mappedAttribute, z.string().min(1).max(256));

/** E-mail domains (domain search) or names (Cognito's `idp_identifier`). */
const idpIdentifier = z
  .string()
  .regex(codedPattern(/^[A-Za-z0-9][A-Za-z0-9._+=@-]{0,39}$/, 'allowed_chars', { chars: '._+=@-', max: '40' }), '1 to 40 letters, digits and ._+=@- (an e-mail domain or a name)');

const scopeToken = z.string().regex(codedPattern(/^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/, 'printable_token', { except: '" \\' }), 'a scope is one token without spaces or quotes');

const common = {
  name: providerName,
  /** The button says "Continue with {display_name}"; defaults to the brand (or the name). */
  display_name: z.string().min(1).max(64).optional(),
  attribute_mapping: attributeMapping.optional(),
  idp_identifiers: z.array(idpIdentifier).max(50).default([]),
};

const oauthClient = {
  client_id: z.string().min(1).max(256),
  client_secret: z.string().min(1).max(2048),
  scopes: z.array(scopeToken).min(1).max(50).optional(),
  /** Extra authorization request parameters (e.g. `prompt`, Google's `hd`). */
  authorize_params: z.record(z.string().regex(codedPattern(/^[a-z_]{1,64}$/, 'lower_underscore', { max: '64' }), 'lower-case letters and _'), z.string().max(512)).optional(),
};
const withOpenid = (s: string[] | undefined) => !s || s.includes('openid');
const openidMessage = coded('needs_openid', 'must include openid', { path: ['scopes'] });

const oidcProvider = z
  .object({
    ...common,
    ...oauthClient,
    type: z.literal('oidc'),
    issuer: endpoint,
    client_secret: z.string().min(1).max(2048).optional(),
    token_endpoint_auth_method: z.enum(['client_secret_basic', 'client_secret_post', 'none']).default('client_secret_basic'),
    response_mode: z.enum(['query', 'form_post']).default('query'),
  })
  .strict()
  .refine((p) => withOpenid(p.scopes), openidMessage)
  .refine((p) => p.token_endpoint_auth_method === 'none' || !!p.client_secret, coded('required_when', 'required unless token_endpoint_auth_method is "none"', { path: ['client_secret'], params: { other: 'token_endpoint_auth_method ≠ none' } }));

const googleProvider = z
  .object({ ...common, ...oauthClient, type: z.literal('google'), issuer: endpoint.optional() })
  .strict()
  .refine((p) => withOpenid(p.scopes), openidMessage);

const microsoftProvider = z
  .object({
    ...common,
    ...oauthClient,
    type: z.literal('microsoft'),
    /** The directory (tenant) ID: a single-tenant app, so the issuer is fixed and checked. */
    tenant_id: z.string().regex(codedPattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'tenant_guid'), 'must be the directory (tenant) ID, a GUID'),
    issuer: endpoint.optional(),
  })
  .strict()
  .refine((p) => withOpenid(p.scopes), openidMessage);

const applePrivateKey = z
  .string()
  .min(1)
  .max(4096)
  .refine((pem) => {
    try {
      const key = createPrivateKey(pem);
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    } catch {
      return false;
    }
  }, coded('apple_key', 'must be the .p8 key (PEM, PKCS #8, EC P-256) downloaded from Apple'));

const appleProvider = z
  .object({
    ...common,
    type: z.literal('apple'),
    /** The Services ID. */
    client_id: z.string().min(1).max(256),
    team_id: z.string().regex(codedPattern(/^[A-Z0-9]{10}$/, 'apple_id'), 'must be the 10-character Team ID'),
    key_id: z.string().regex(codedPattern(/^[A-Z0-9]{10}$/, 'apple_id'), 'must be the 10-character Key ID'),
    private_key: applePrivateKey.or(z.literal(REDACTED)),
    scopes: oauthClient.scopes,
    authorize_params: oauthClient.authorize_params,
    issuer: endpoint.optional(),
  })
  .strict()
  .refine((p) => withOpenid(p.scopes), openidMessage);

/** OAuth 2.0 providers without OpenID Connect: endpoints may be moved (a test double, a proxy). */
const oauthEndpoints = {
  authorization_endpoint: endpoint.optional(),
  token_endpoint: endpoint.optional(),
  userinfo_endpoint: endpoint.optional(),
};
const facebookProvider = z
  .object({ ...common, ...oauthClient, ...oauthEndpoints, type: z.literal('facebook'), api_version: z.string().regex(codedPattern(/^v[0-9]{1,3}\.[0-9]$/, 'version_like', { example: 'v19.0' }), 'like v19.0').optional() })
  .strict();
const amazonProvider = z.object({ ...common, ...oauthClient, ...oauthEndpoints, type: z.literal('amazon') }).strict();

const samlProvider = z
  .object({
    ...common,
    type: z.literal('saml'),
    metadata_url: endpoint.optional(),
    metadata_xml: z.string().min(1).max(200_000).optional(),
    /** Accept unsolicited (IdP-initiated) responses; needs `idp_initiated_login`. */
    idp_initiated: z.boolean().default(false),
    /**
     * Where an IdP-initiated sign-in continues: the app client it signs in to, and that app's
     * login-initiation URL (OpenID Connect third-party-initiated login). Every authorization needs
     * the app's own PKCE verifier, so Foyer cannot mint one for the app: the app starts its own
     * authorization request there, and Foyer answers it with the identity the IdP asserted.
     */
    idp_initiated_login: z.object({ client_id: z.string().min(1).max(128), login_uri: endpoint }).strict().optional(),
    request_binding: z.enum(['HTTP-Redirect', 'HTTP-POST']).default('HTTP-Redirect'),
    encrypted_assertions: z.boolean().default(false),
    /** Send the user to the IdP's single logout service at sign-out, when it has one. */
    sign_out: z.boolean().default(true),
  })
  .strict()
  .refine((p) => !!p.metadata_url !== !!p.metadata_xml, coded('saml_metadata_source', 'give exactly one of metadata_url and metadata_xml', { path: ['metadata_url'] }))
  .refine((p) => !p.idp_initiated || !!p.idp_initiated_login, coded('required_when', 'required when idp_initiated is true', { path: ['idp_initiated_login'], params: { other: 'idp_initiated' } }));

export const identityProviderSchema = z.discriminatedUnion('type', [
  oidcProvider,
  samlProvider,
  googleProvider,
  appleProvider,
  facebookProvider,
  amazonProvider,
  microsoftProvider,
]);
export type IdentityProviderConfig = z.infer<typeof identityProviderSchema>;
export type IdentityProviderOf<T extends ProviderType> = Extract<IdentityProviderConfig, { type: T }>;

/** An app client's providers: names from `identity_providers`, or COGNITO. */
export const supportedIdentityProviders = z
  .array(z.string().min(1).max(32))
  .min(1)
  .max(50)
  .default([COGNITO]);

/**
 * Checks that need the whole file: unique names and identifiers, declared custom attributes,
 * clients naming declared providers. `path` prefixes each issue (e.g. `identity_providers`).
 */
export function checkProviderReferences(
  providers: IdentityProviderConfig[],
  clients: { client_id: string; supported_identity_providers: string[] }[],
  customAttributes: Set<string>,
  ctx: z.RefinementCtx,
): void {
  const names = new Set<string>();
  const identifiers = new Map<string, string>();
  providers.forEach((p, i) => {
    const lower = p.name.toLowerCase();
    if (names.has(lower)) ctx.addIssue({ code: 'custom', path: ['identity_providers', i, 'name'], message: 'duplicate provider name', params: { code: 'duplicate' } });
    names.add(lower);
    for (const key of Object.keys(p.attribute_mapping ?? {})) {
      if (key.startsWith('custom:') && !customAttributes.has(key)) {
        ctx.addIssue({ code: 'custom', path: ['identity_providers', i, 'attribute_mapping', key], message: 'unknown attribute (declare custom ones in pool.custom_attributes)', params: { code: 'unknown_attribute' } });
      }
    }
    p.idp_identifiers.forEach((id, j) => {
      const owner = identifiers.get(id.toLowerCase());
      if (owner !== undefined) ctx.addIssue({ code: 'custom', path: ['identity_providers', i, 'idp_identifiers', j], message: `already used by provider "${owner}"`, params: { code: 'in_use', by: owner } });
      identifiers.set(id.toLowerCase(), p.name);
    });
  });
  providers.forEach((p, i) => {
    if (p.type !== 'saml' || !p.idp_initiated_login) return;
    const { client_id } = p.idp_initiated_login;
    const client = clients.find((c) => c.client_id === client_id);
    if (!client || !client.supported_identity_providers.includes(p.name)) {
      ctx.addIssue({ code: 'custom', path: ['identity_providers', i, 'idp_initiated_login', 'client_id'], message: `must be an app client whose supported_identity_providers include "${p.name}"`, params: { code: 'idp_initiated_client', provider: p.name } });
    }
  });
  const exact = new Set(providers.map((p) => p.name));
  clients.forEach((c, i) => {
    const seen = new Set<string>();
    c.supported_identity_providers.forEach((name, j) => {
      const path = ['clients', i, 'supported_identity_providers', j];
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path, message: 'listed twice', params: { code: 'duplicate' } });
      seen.add(name);
      if (name !== COGNITO && !exact.has(name)) ctx.addIssue({ code: 'custom', path, message: `"${name}" is neither COGNITO nor a provider declared in "identity_providers"`, params: { code: 'unknown_provider', provider: name } });
    });
  });
}
