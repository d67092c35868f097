import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { coded, codedPattern, type CodedProblem, type FieldCode } from './field-codes';
import { customValueSchema } from '../pool/custom-attributes';
import { hashProblem } from '../pool/passwords/formats';
import { MAX_PER_LOCALE } from '../pool/custom-text/limits';
import { themeId, themeInput } from '../../themes/schema';
import { checkProviderReferences, identityProviderSchema, supportedIdentityProviders } from './identity-providers';
import { FOYER_RESOURCE_SERVER, resourceServerSchema, splitCustomScope } from './resource-servers';

/** The pool config file: seeds an empty database and is the import/export format. */
export const profileAttributes: ReadonlySet<string> = new Set([
  'name', 'given_name', 'family_name', 'middle_name', 'nickname', 'preferred_username', 'profile',
  'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'address',
]);

/** A phone number in E.164 form. */
export const E164 = codedPattern(/^\+[1-9][0-9]{6,14}$/, 'invalid_phone');
const customName = z.string().regex(codedPattern(/^custom:[A-Za-z0-9_]{1,20}$/, 'custom_attribute_name'), 'must look like custom:name');

/**
 * A custom attribute as Cognito declares one: its type and bounds (min/max length for String,
 * min/max value for Number), whether sign-up asks for it, whether it may change once set, and the
 * sign-up form's label per locale (a translated generic label where none is given).
 */
export const customAttributeSchema = z
  .strictObject({
    name: customName,
    type: z.enum(['String', 'Number', 'Boolean', 'DateTime']).default('String'),
    required: z.boolean().default(false),
    mutable: z.boolean().default(true),
    min_length: z.number().int().min(0).max(2048).optional(),
    max_length: z.number().int().min(1).max(2048).optional(),
    min_value: z.number().finite().optional(),
    max_value: z.number().finite().optional(),
    labels: z.record(z.string().regex(codedPattern(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'locale_tag'), 'a locale such as en or ar'), z.string().min(1).max(100)).optional(),
  })
  .superRefine((a, ctx) => {
    const misplaced = (keys: readonly (keyof typeof a)[], type: string) => {
      for (const k of keys) if (a[k] !== undefined && a.type !== type) ctx.addIssue({ code: 'custom', path: [k], message: `only for type ${type}`, params: { code: 'only_for_type', type } });
    };
    misplaced(['min_length', 'max_length'], 'String');
    misplaced(['min_value', 'max_value'], 'Number');
    if (a.min_length !== undefined && a.max_length !== undefined && a.min_length > a.max_length) ctx.addIssue({ code: 'custom', path: ['min_length'], message: 'may not exceed max_length', params: { code: 'not_above', other: 'max_length' } });
    if (a.min_value !== undefined && a.max_value !== undefined && a.min_value > a.max_value) ctx.addIssue({ code: 'custom', path: ['min_value'], message: 'may not exceed max_value', params: { code: 'not_above', other: 'max_value' } });
  });
export type CustomAttribute = z.infer<typeof customAttributeSchema>;

/** Who may sign up: anyone, or only users an admin created; and the terms they accept doing so. */
const signUpSchema = z.strictObject({
  mode: z.enum(['open', 'invitation_only']).default('open'),
  terms: z.strictObject({ version: z.string().regex(codedPattern(/^[A-Za-z0-9._-]{1,32}$/, 'allowed_chars', { chars: '._-', max: '32' }), 'letters, digits and ._- only') }).optional(),
});

export const poolSettingsSchema = z
  .object({
    name: z.string().min(1).max(100).default('Foyer'),
    /** The theme of every screen whose client names none (the built-in default when absent). */
    theme: themeId.optional(),
    sign_in_aliases: z.array(z.enum(['username', 'email', 'phone_number'])).min(1).default(['username', 'email']),
    // Attributes the sign-up screen asks for (each has a translated label).
    required_attributes: z.array(z.enum(['email', 'phone_number', 'name', 'given_name', 'family_name'])).default(['email']),
    custom_attributes: z
      .array(customAttributeSchema)
      .refine((list) => new Set(list.map((a) => a.name)).size === list.length, coded('duplicate', 'duplicate custom attribute name'))
      .default([]),
    password_policy: z
      .object({
        // Unset: 15 where a password is the only factor (MFA OFF), else 12 (NIST SP 800-63B-4 §3.1.1.2).
        min_length: z.number().int().min(8).max(64).optional(),
        max_length: z.number().int().min(64).max(1024).default(128),
        reject_common: z.boolean().default(true),
      })
      .strict()
      .default({ max_length: 128, reject_common: true }),
    sign_up: signUpSchema.optional(),
    /** The older spelling of sign_up.mode (false: invitation_only); sign_up wins when both are given. */
    self_sign_up: z.boolean().optional(),
    // The first factors the sign-in screen offers (the user picks one; the last used is preselected).
    // A passkey is offered only where the MFA factors allow WebAuthn; codes and links go only to
    // verified addresses. The default is a password, and a passkey where allowed.
    sign_in_methods: z
      .array(z.enum(['password', 'passkey', 'email_otp', 'sms_otp', 'magic_link']))
      .min(1)
      .refine((a) => new Set(a).size === a.length, coded('duplicate', 'each method once'))
      .default(['password', 'passkey']),
    // OPTIONAL: users who enrolled a factor are asked for it. REQUIRED: everyone enrols at sign-in.
    mfa: z
      .object({
        mode: z.enum(['OFF', 'OPTIONAL', 'REQUIRED']).default('OFF'),
        factors: z.array(z.enum(['totp', 'email', 'sms', 'webauthn'])).min(1).default(['totp']),
        // 0: never. Otherwise a browser may skip the second factor for this many days.
        remember_device_days: z.number().int().min(0).max(365).default(0),
      })
      .strict()
      .default({ mode: 'OFF', factors: ['totp'], remember_device_days: 0 }),
    // The group whose members may use the admin console (with a second factor at sign-in).
    admin_group: z.string().min(1).max(128).default('admins'),
    // Account self-service: sensitive changes need a sign-in at most this old.
    account: z
      .object({ reauth_after_seconds: z.number().int().min(1).max(86400).default(300) })
      .strict()
      .default({ reauth_after_seconds: 300 }),
    lockout: z
      .object({
        free_failures: z.number().int().min(1).max(100).default(4),
        base_seconds: z.number().int().min(1).max(3600).default(1),
        max_seconds: z.number().int().min(1).max(86400).default(900),
      })
      .strict()
      .default({ free_failures: 4, base_seconds: 1, max_seconds: 900 }),
    rate_limits: z
      .object({
        sign_in_per_ip_per_5_minutes: z.number().int().min(1).default(300),
        sign_up_per_ip_per_hour: z.number().int().min(1).default(30),
        forgot_password_per_ip_per_hour: z.number().int().min(1).default(30),
        // Against SMS pumping (texts sent to numbers that pay the sender): every text Foyer sends
        // counts toward its number, the client's address and the number's country calling code.
        sms_per_number_per_hour: z.number().int().min(1).default(10),
        sms_per_ip_per_hour: z.number().int().min(1).default(20),
        sms_per_country_code_per_hour: z.number().int().min(1).default(300),
      })
      .strict()
      .default({
        sign_in_per_ip_per_5_minutes: 300,
        sign_up_per_ip_per_hour: 30,
        forgot_password_per_ip_per_hour: 30,
        sms_per_number_per_hour: 10,
        sms_per_ip_per_hour: 20,
        sms_per_country_code_per_hour: 300,
      }),
  })
  .strict()
  .transform((s) => {
    const signUp = s.sign_up ?? { mode: s.self_sign_up === false ? ('invitation_only' as const) : ('open' as const) };
    return {
      ...s,
      password_policy: { ...s.password_policy, min_length: s.password_policy.min_length ?? (s.mfa.mode === 'OFF' ? 15 : 12) },
      sign_up: signUp,
      // Kept in step with sign_up.mode, so the stored settings read the same in either spelling.
      self_sign_up: signUp.mode === 'open',
    };
  });
export type PoolSettings = z.infer<typeof poolSettingsSchema>;

const url = z.url({ protocol: /^https?$/ });
/** Redirect URIs are compared exactly and may not carry a fragment (RFC 6749 §3.1.2). */
const redirectUri = url.refine((u) => !u.includes('#'), coded('no_fragment', 'a redirect URI may not contain a fragment'));
/** The scopes the pool knows; a client may be allowed a subset. */
export const knownScopes = ['openid', 'email', 'phone', 'profile', 'address'] as const;
/**
 * Accepted in a client's `scope` as Cognito accepts them: `offline_access` (configs written for
 * other providers carry it; it changes nothing, since refresh tokens follow `grant_types`) and
 * Cognito's `aws.cognito.signin.user.admin` (granted in the access token's scope, nothing more).
 */
export const OFFLINE_ACCESS = 'offline_access';
export const COGNITO_USER_ADMIN_SCOPE = 'aws.cognito.signin.user.admin';
const standardScopes: ReadonlySet<string> = new Set([...knownScopes, OFFLINE_ACCESS, COGNITO_USER_ADMIN_SCOPE]);
const DEFAULT_SCOPE = 'openid email phone profile';

/** The words of a `scope` value (a space-separated list; an empty one has none). */
export const scopeWords = (scope: string | undefined): string[] => (scope ?? '').split(' ').filter(Boolean);

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * An app client's token lifetimes, as Cognito's app client settings (with its bounds). The idle
 * limit: a refresh token not used for that long expires (each use gives a new one); it defaults
 * to the absolute lifetime, i.e. no idle limit.
 */
export const tokenValiditySchema = z
  .object({
    access_token_seconds: z.number().int().min(5 * MINUTE).max(DAY).default(HOUR),
    id_token_seconds: z.number().int().min(5 * MINUTE).max(DAY).default(HOUR),
    refresh_token_seconds: z.number().int().min(HOUR).max(3650 * DAY).default(30 * DAY),
    refresh_token_idle_seconds: z.number().int().min(5 * MINUTE).max(3650 * DAY).optional(),
  })
  .strict()
  .refine(
    (v) => v.refresh_token_idle_seconds === undefined || v.refresh_token_idle_seconds <= v.refresh_token_seconds,
    coded('not_above', 'may not exceed refresh_token_seconds', { path: ['refresh_token_idle_seconds'], params: { other: 'refresh_token_seconds' } }),
  );
export type TokenValidity = z.infer<typeof tokenValiditySchema>;

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/**
 * An origin allowed to frame a client's sign-in, exactly as a browser serialises it: scheme, host
 * and port only (no path, no wildcard), https or a loopback http (a developer's machine).
 */
export const frameAncestor = z.string().refine((v) => {
  // Host names as browsers serialise them (no `*`, which URL parsing lets through, nor anything a CSP reads).
  if (!/^https?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?$/.test(v) || !URL.canParse(v)) return false;
  const u = new URL(v);
  return u.origin === v && (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname)));
}, coded('frame_ancestor', 'an exact origin such as https://app.example (scheme, host and optional port; no path, no wildcard; http only on loopback)'));

export const clientFields = z
  .object({
    client_id: z.string().regex(codedPattern(/^[A-Za-z0-9._~-]{1,128}$/, 'allowed_chars', { chars: '._~-', max: '128' }), 'letters, digits and ._~- only'),
    client_secret: z.string().min(16).max(256).optional(), // or REDACTED: keep the stored one
    client_name: z.string().min(1).max(100).optional(),
    // None for a client that only uses client_credentials (RFC 7591 §2 allows it).
    redirect_uris: z.array(redirectUri).default([]),
    post_logout_redirect_uris: z.array(redirectUri).default([]),
    grant_types: z
      .array(z.enum(['authorization_code', 'refresh_token', 'client_credentials']))
      .min(1)
      .default(['authorization_code', 'refresh_token']),
    token_endpoint_auth_method: z
      .enum(['client_secret_basic', 'client_secret_post', 'none'])
      .default('client_secret_basic'),
    /**
     * Standard scopes (see standardScopes) and resource servers' custom scopes
     * (`<identifier>/<name>`, checked against `resource_servers` when the config is applied).
     * Default: `openid email phone profile` for a client that signs users in, none otherwise.
     */
    scope: z
      .string()
      .max(8192)
      .refine(
        (v) => scopeWords(v).every((s) => standardScopes.has(s) || splitCustomScope(s)),
        coded('scope_list', `scopes are a space-separated list of: ${[...standardScopes].join(' ')}, or resource servers' scopes (<identifier>/<name>)`),
      )
      .optional(),
    third_party: z.boolean().default(false),
    /** Provider names from `identity_providers`, and COGNITO for the pool's own sign-in. */
    supported_identity_providers: supportedIdentityProviders,
    token_validity: tokenValiditySchema.optional(),
    /** This client's screens' theme, over the pool's. */
    theme: themeId.optional(),
    /** Origins whose pages may show this client's sign-in in an iframe; none by default. */
    frame_ancestors: z.array(frameAncestor).max(20).optional(),
    /**
     * Sign-ins to this app need a second factor whatever the pool's MFA mode: a user who has one
     * is asked for it, one who has none enrols one (the admin console always does).
     */
    require_mfa: z.boolean().default(false),
  })
  .strict();

/** The rules between a client's fields; `secretGiven`: whether the secret comes with them (not when Foyer makes it). */
const clientRules =
  (secretGiven: boolean) =>
  (c: Omit<z.output<typeof clientFields>, 'client_secret' | 'client_id'> & { client_secret?: string }, ctx: z.RefinementCtx) => {
    const issue = (path: string, message: string, code: FieldCode) => ctx.addIssue({ code: 'custom', path: [path], message, params: { code } });
    const grants = new Set(c.grant_types);
    if (secretGiven && c.token_endpoint_auth_method !== 'none' && !c.client_secret) issue('client_secret', 'a confidential client needs a client_secret', 'required');
    if (grants.has('refresh_token') && !grants.has('authorization_code')) issue('grant_types', 'refresh_token needs authorization_code', 'refresh_needs_code');
    if (grants.has('client_credentials') && c.token_endpoint_auth_method === 'none') {
      issue('grant_types', 'client_credentials is for confidential clients only (token_endpoint_auth_method may not be none)', 'credentials_confidential');
    }
    if (!grants.has('client_credentials') && scopeWords(c.scope).some((s) => splitCustomScope(s)?.identifier === FOYER_RESOURCE_SERVER.identifier)) {
      // A user's sign-in into an app must not hand the app admin power.
      issue('scope', 'the admin API\'s foyer/ scopes are granted through client_credentials only', 'admin_scope_credentials');
    }
    if (grants.has('authorization_code')) {
      if (c.redirect_uris.length === 0) issue('redirect_uris', 'a client using authorization_code needs at least one redirect URI', 'redirect_uri_needed');
      if (c.scope !== undefined && !scopeWords(c.scope).includes('openid')) issue('scope', 'must include openid', 'needs_openid');
    }
  };
const withDefaultScope = <C extends { grant_types: string[]; scope?: string }>(c: C) => ({ ...c, scope: c.scope ?? (c.grant_types.includes('authorization_code') ? DEFAULT_SCOPE : '') });

export const clientSeedSchema = clientFields.superRefine(clientRules(true)).transform(withDefaultScope);
export type ClientSeed = z.infer<typeof clientSeedSchema>;

/**
 * An app client as the admin API takes it: the config's entry without `client_secret`, which Foyer
 * makes (RFC 7591 §3.2.1) and shows once; `client_id` is made too when not given.
 */
export const clientInputSchema = clientFields
  .omit({ client_secret: true })
  .extend({ client_id: clientFields.shape.client_id.optional() })
  .superRefine(clientRules(false))
  .transform(withDefaultScope);
export type ClientInput = z.infer<typeof clientInputSchema>;

const passwordHash = z.string().max(1024).superRefine((h, ctx) => {
  const problem = hashProblem(h);
  if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { code: 'password_hash_format' } });
});

/**
 * A user's subject at an outside provider: non-empty printable text (OIDC allows 255 ASCII
 * characters; SAML NameIDs run longer). Federation takes only such subjects from a provider, and a
 * user record may name only those (an identity no sign-in could reach is refused).
 */
export const providerSubject = z
  .string()
  .min(1)
  .max(1024)
  .refine((s) => !/\p{Cc}/u.test(s), coded('no_control_characters', 'may not contain control characters'));

export const userSeedSchema = z
  .object({
    username: z.string().min(1).max(128),
    /** The user's `sub`, kept when a pool moves (export, then apply elsewhere); new otherwise. */
    sub: z.guid().optional(),
    email: z.email().optional(),
    email_verified: z.boolean().default(false),
    phone_number: z.string().regex(E164).optional(),
    phone_number_verified: z.boolean().default(false),
    password: z.string().min(1).max(1024).optional(),
    /** A hash made elsewhere (see server/pool/passwords/formats.ts), replaced by argon2id at sign-in. */
    password_hash: passwordHash.optional(),
    status: z.enum(['CONFIRMED', 'UNCONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED', 'EXTERNAL_PROVIDER']).default('CONFIRMED'),
    enabled: z.boolean().default(true),
    attributes: z.record(z.string(), z.string().max(2048)).default({}),
    groups: z.array(z.string()).default([]),
    /** Sign-ins through outside providers linked to the user: the provider's name and its subject. */
    identities: z
      .array(z.object({ provider: z.string().min(1).max(32), subject: providerSubject, issuer: z.string().max(2048).optional() }).strict())
      .default([]),
  })
  .strict()
  .refine((u) => !(u.password && u.password_hash), coded('exactly_one', 'give password or password_hash, not both', { path: ['password_hash'], params: { other: 'password' } }))
  .refine(
    (u) => u.status !== 'EXTERNAL_PROVIDER' || (u.identities.length > 0 && !u.password && !u.password_hash),
    coded('external_provider_user', 'an EXTERNAL_PROVIDER user has identities and no password', { path: ['status'] }),
  );
export type UserSeed = z.infer<typeof userSeedSchema>;

/**
 * Operators' custom text: `{ "<locale>": { "<dotted.key>": "<ICU message>" } }`. Each message is
 * checked against the English one when the config is planned (server/pool-config/plan.ts), as
 * themes are: this module stays free of the catalogues.
 */
export const customTextSchema = z.record(z.string().max(16), z.record(z.string().max(200), z.string()).refine((m) => Object.keys(m).length <= MAX_PER_LOCALE, coded('too_many_overrides', `at most ${MAX_PER_LOCALE} overrides per locale`, { params: { max: String(MAX_PER_LOCALE) } })));

export const seedSchema = z
  .object({
    pool: poolSettingsSchema.default(poolSettingsSchema.parse({})),
    clients: z.array(clientSeedSchema).default([]),
    groups: z
      .array(z.object({ name: z.string().min(1).max(128), description: z.string().max(2048).optional(), precedence: z.number().int().min(0).max(2 ** 31 - 1).optional() }).strict())
      .default([]),
    users: z.array(userSeedSchema).default([]),
    identity_providers: z.array(identityProviderSchema).max(300).default([]),
    themes: z.array(themeInput).max(100).default([]),
    resource_servers: z.array(resourceServerSchema).max(100).default([]),
    custom_text: customTextSchema.default({}),
  })
  .strict()
  .superRefine((seed, ctx) => {
    const servers = new Set<string>();
    seed.resource_servers.forEach((r, i) => {
      if (servers.has(r.identifier)) ctx.addIssue({ code: 'custom', path: ['resource_servers', i, 'identifier'], message: 'duplicate identifier', params: { code: 'duplicate' } });
      if (r.identifier === FOYER_RESOURCE_SERVER.identifier) ctx.addIssue({ code: 'custom', path: ['resource_servers', i, 'identifier'], message: 'foyer is the built-in resource server of the admin API', params: { code: 'reserved' } });
      servers.add(r.identifier);
    });
    // References inside the file must resolve, so a bad file fails here and not half-way through.
    const groups = new Set<string>();
    seed.groups.forEach((g, i) => {
      if (groups.has(g.name)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'name'], message: 'duplicate group name', params: { code: 'duplicate' } });
      groups.add(g.name);
    });
    const custom = new Set(seed.pool.custom_attributes.map((a) => a.name));
    checkProviderReferences(seed.identity_providers, seed.clients, custom, ctx);
    const clientIds = new Set<string>();
    seed.clients.forEach((c, i) => {
      if (clientIds.has(c.client_id)) ctx.addIssue({ code: 'custom', path: ['clients', i, 'client_id'], message: 'duplicate client_id', params: { code: 'duplicate' } });
      if (c.client_id === 'foyer-account' || c.client_id === 'foyer-console')
        ctx.addIssue({ code: 'custom', path: ['clients', i, 'client_id'], message: `${c.client_id} is reserved for Foyer's own pages`, params: { code: 'reserved' } });
      clientIds.add(c.client_id);
    });
    const themeIds = new Set<string>();
    seed.themes.forEach((t, i) => {
      if (themeIds.has(t.id)) ctx.addIssue({ code: 'custom', path: ['themes', i, 'id'], message: 'duplicate theme id', params: { code: 'duplicate' } });
      themeIds.add(t.id);
    });
    const seen = { username: new Set<string>(), sub: new Set<string>(), identity: new Set<string>() };
    const providers = new Set(seed.identity_providers.map((p) => p.name));
    seed.users.forEach((u, i) => {
      const unique = (kind: keyof typeof seen, value: string, path: (string | number)[]) => {
        if (seen[kind].has(value)) ctx.addIssue({ code: 'custom', path: ['users', i, ...path], message: `duplicate ${kind}`, params: { code: 'duplicate' } });
        seen[kind].add(value);
      };
      unique('username', u.username.toLowerCase(), ['username']);
      if (u.sub) unique('sub', u.sub.toLowerCase(), ['sub']);
      for (const problem of userReferenceProblems(u, { groups, custom, providers, declared: seed.pool.custom_attributes })) ctx.addIssue({ code: 'custom', path: ['users', i, ...problem.path], message: problem.message, params: { code: problem.code, ...problem.params } });
      u.identities.forEach((id, j) => unique('identity', `${id.provider}\n${id.subject}`, ['identities', j, 'subject']));
    });
  });

/**
 * What a user record names that must exist: groups, declared attributes, providers. Shared by
 * the pool config and `foyer users import` (which checks against the database instead).
 */
export function userReferenceProblems(
  u: Pick<UserSeed, 'groups' | 'attributes' | 'identities'>,
  known: { groups: Set<string>; custom: Set<string>; providers: Set<string>; declared?: CustomAttribute[] },
): CodedProblem[] {
  const problems: CodedProblem[] = [];
  u.groups.forEach((g, j) => {
    if (!known.groups.has(g)) problems.push({ path: ['groups', j], message: `group "${g}" is not declared in "groups"`, code: 'unknown_group', params: { group: g } });
  });
  for (const key of Object.keys(u.attributes)) {
    const ok = key.startsWith('custom:') ? known.custom.has(key) : profileAttributes.has(key);
    if (!ok) problems.push({ path: ['attributes', key], message: 'unknown attribute (declare custom ones in pool.custom_attributes)', code: 'unknown_attribute', params: {} });
    // A typed attribute's value must read as its type, as a sign-up's would.
    const declared = known.declared?.find((a) => a.name === key);
    if (declared && !customValueSchema(declared).safeParse(u.attributes[key]).success) problems.push({ path: ['attributes', key], message: `not a valid ${declared.type} for this attribute's bounds`, code: 'attribute_value_invalid', params: { type: declared.type } });
  }
  u.identities.forEach((id, j) => {
    if (!known.providers.has(id.provider)) problems.push({ path: ['identities', j, 'provider'], message: `provider "${id.provider}" is not declared in "identity_providers"`, code: 'unknown_provider', params: { provider: id.provider } });
  });
  return problems;
}
export type Seed = z.infer<typeof seedSchema>;

/** Parses a seed; the error names the offending field, e.g. `clients.0.redirect_uris.0`. */
export function parseSeed(input: unknown, source = 'seed'): Seed {
  const result = seedSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue.path.join('.') || '(root)';
    throw new Error(`Invalid pool config (${source}): field "${field}": ${issue.message}`);
  }
  return result.data;
}

/** The top-level keys of a pool config; a file manages only the sections it has. */
export const seedSections = ['pool', 'themes', 'identity_providers', 'resource_servers', 'clients', 'groups', 'users', 'custom_text'] as const;
export type SeedSection = (typeof seedSections)[number];

/** A parsed pool config and the sections its file named (the others are left as they are). */
export interface PoolConfig {
  seed: Seed;
  sections: ReadonlySet<SeedSection>;
  source: string;
  /** The config file's folder: theme assets are paths relative to it. */
  baseDir?: string;
}

/** Parses a pool config, remembering which sections it named before defaults fill them. */
export function parsePoolConfig(input: unknown, source = 'seed'): PoolConfig {
  const seed = parseSeed(input, source);
  const named = typeof input === 'object' && input !== null ? Object.keys(input) : [];
  return { seed, sections: new Set(seedSections.filter((s) => named.includes(s))), source };
}

export function readPoolConfig(file: string): PoolConfig {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`Cannot read pool config file ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new Error(`Invalid pool config (${file}): not JSON: ${(e as Error).message}`);
  }
  return { ...parsePoolConfig(json, file), baseDir: path.dirname(path.resolve(file)) };
}

/** The seed used when FOYER_CONFIG is not given: a demo pool and the built-in demo app. */
export function demoSeed(publicUrl: string): Seed {
  return parseSeed({
    // The demo app runs inside Foyer and authenticates with a secret derived from FOYER_SECRET
    // (server/pool/client-secrets.ts); this random one is only there to be hashed, never shown.
    pool: { name: 'Foyer demo', custom_attributes: [{ name: 'custom:plan' }] },
    clients: [
      {
        client_id: 'demo',
        client_name: 'Foyer demo app',
        redirect_uris: [`${publicUrl}/api/demo/callback`],
        post_logout_redirect_uris: [`${publicUrl}/api/demo/signed-out`],
        token_endpoint_auth_method: 'client_secret_basic',
        client_secret: randomBytes(32).toString('base64url'),
      },
    ],
    groups: [{ name: 'admins', description: 'Pool administrators', precedence: 0 }],
  });
}
