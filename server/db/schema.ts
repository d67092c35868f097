import type { Generated } from 'kysely';

/** Booleans are 0/1 and times are epoch milliseconds, so one schema fits SQLite and PostgreSQL. */
export interface UsersTable {
  id: string; // the `sub`, a UUID
  username: string;
  username_lower: string;
  email: string | null;
  email_lower: string | null;
  email_verified: number;
  phone_number: string | null;
  phone_number_verified: number;
  status: UserStatus;
  enabled: number;
  password_hash: string | null;
  attributes: string; // JSON: standard profile and custom:* attributes
  preferred_mfa: string | null;
  /** The version of the terms accepted at sign-up, and when (018). */
  terms_version: string | null;
  terms_accepted_at: number | null;
  created_at: number;
  updated_at: number;
}
/** EXTERNAL_PROVIDER: created by a federated sign-in (no password of ours), as in Cognito. */
export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD' | 'RESET_REQUIRED' | 'EXTERNAL_PROVIDER';

export interface GroupsTable {
  name: string;
  description: string | null;
  precedence: number | null;
  created_at: number;
}

export interface UserGroupsTable {
  user_id: string;
  group_name: string;
}

export interface CodesTable {
  id: string;
  user_id: string;
  purpose: string;
  code_hash: string;
  attempts: number;
  expires_at: number;
  consumed_at: number | null;
  created_at: number;
}

export interface OidcArtifactsTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: number | null;
  consumed_at: number | null;
  account_id: string | null;
}

export interface ClientsTable {
  client_id: string;
  metadata: string; // JSON, RFC 7591 names plus ours
  created_at: number;
  updated_at: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  /** The private JWK; only its public half is kept once the key is retired. Read and written in server/oidc/keys.ts only. */
  private_jwk: string;
  /** Rotation order, unique: the key with the highest `seq` among those activated signs. */
  seq: number;
  created_at: number;
  /** Epoch ms from which it signs (published in JWKS from `created_at`). */
  activates_at: number;
  /** Dropped from JWKS: every token it signed has expired. */
  retired_at: number | null;
}

export interface SecretsTable {
  name: string;
  value: string;
  created_at: number;
}

export interface SettingsTable {
  name: string;
  value: string; // JSON
  updated_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: number;
}

/** The transactional outbox (see server/outbox). */
export interface MessagesTable {
  id: Generated<number>;
  channel: 'email' | 'sms';
  /** Sealed JSON of the rendered message; null once delivered or failed. */
  payload: string | null;
  /** `decoy`: written for a screen's timing only (see `queueDecoyMail`), never delivered. */
  status: 'pending' | 'delivered' | 'failed' | 'decoy';
  attempts: number;
  next_attempt_at: number;
  /** A worker's lease on the row (with its claim token); another may take it once this has passed. */
  claimed_until: number | null;
  claim_token: string | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: number;
  count: number;
}

/** An unknown account's stand-in for a code (see migration 013). */
export interface DecoyCodesTable {
  id: string;
  attempts: number;
  expires_at: number;
  created_at: number;
}

export interface LockoutsTable {
  key: string;
  failures: number;
  locked_until: number;
  updated_at: number;
}

export interface SignInFlowsTable {
  uid: string;
  state: string; // JSON of the current step
  expires_at: number;
}

export interface EventsTable {
  id: Generated<number>;
  type: string;
  user_id: string | null;
  ip: string | null;
  detail: string | null;
  created_at: number;
}

export interface MfaFactorsTable {
  id: string;
  user_id: string;
  /** `email`, `sms`: the user turned on codes by e-mail or text (in an OPTIONAL pool); no secret. */
  kind: 'totp' | 'email' | 'sms';
  secret: string;
  last_used_step: number | null;
  created_at: number;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: number | null;
  created_at: number;
}

export interface RememberedDevicesTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  label: string | null;
}

export interface AccountSessionsTable {
  id: string;
  user_id: string;
  grant_id: string;
  id_token: string;
  auth_time: number;
  amr: string; // JSON array
  reveal: string | null;
  pending_email: string | null;
  pending_phone: string | null;
  pending_totp: string | null;
  created_at: number;
  expires_at: number;
}

export interface SamlRequestsTable {
  id: string; // the AuthnRequest / LogoutRequest ID we sent
  provider: string;
  kind: 'authn' | 'logout';
  relay_state: string | null;
  created_at: number;
  expires_at: number;
}

export interface SamlReplayTable {
  provider: string;
  message_id: string; // an accepted assertion's or logout request's ID
  expires_at: number;
}

export interface WebauthnCredentialsTable {
  id: string; // credential ID, base64url
  user_id: string;
  public_key: string; // COSE public key, base64url
  counter: number;
  transports: string; // JSON array of AuthenticatorTransport
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: number;
  aaguid: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface WebauthnChallengesTable {
  binding: string;
  purpose: 'registration' | 'authentication';
  challenge: string;
  expires_at: number;
}

export interface IdentityProvidersTable {
  name: string;
  type: string;
  config: string; // JSON, as in the pool config
  created_at: number;
  updated_at: number;
}

export interface UserIdentitiesTable {
  provider_name: string;
  subject: string;
  user_id: string;
  provider_type: string;
  issuer: string | null;
  linked_at: number;
  last_sign_in_at: number | null;
}

export interface FederationRequestsTable {
  id: string; // sha256 of the state sent to the provider
  provider_name: string;
  uid: string;
  browser: string;
  locale: string;
  data: string;
  response: string | null;
  used_at: number | null;
  created_at: number;
  expires_at: number;
}

export interface FederationPendingLinksTable {
  uid: string;
  user_id: string;
  provider_name: string;
  subject: string;
  claims: string;
  session: string | null;
  proven: Generated<number>;
  expires_at: number;
}

export interface FederatedSessionsTable {
  id: string;
  user_id: string;
  login_ts: number;
  provider_name: string;
  data: string;
  expires_at: number;
}

export interface FederatedLogoutsTable {
  id: string;
  target: string;
  expires_at: number;
}

export interface CustomTextTable {
  locale: string;
  key: string; // dotted, a key of messages/en.json
  text: string; // ICU message
  updated_at: number;
}

export interface CustomTextPreviewsTable {
  id: string; // random: a preview token names it
  locale: string;
  texts: string; // JSON: pending overrides by dotted key
  expires_at: number;
}

export interface ThemesTable {
  id: string;
  definition: string; // JSON: themes/schema.ts themeInput, assets as asset:<sha256>
  created_at: number;
  updated_at: number;
}

/** A theme's unpublished edit (migration 019); `updated_by` names the actor (`client:<id>`, `user:<sub>`). */
export interface ThemeDraftsTable {
  theme_id: string;
  definition: string;
  updated_by: string;
  updated_at: number;
}

/** Every definition a theme was published with, numbered from 1 (migration 019). */
export interface ThemeVersionsTable {
  theme_id: string;
  version: number;
  definition: string;
  published_by: string;
  published_at: number;
  rolled_back_from: number | null;
}

export interface ThemeAssetsTable {
  id: string; // sha256 hex
  mime: string;
  bytes: Buffer;
  size: number;
  created_at: number;
}

/** One write through the admin API (migration 017). */
export interface AuditTable {
  id: Generated<number>;
  actor_type: 'client' | 'user';
  actor: string;
  action: string;
  resource_type: string;
  resource_id: string;
  before: string | null;
  after: string | null;
  request_id: string | null;
  created_at: number;
}

export interface ResourceServersTable {
  identifier: string;
  definition: string; // JSON: server/config/resource-servers.ts resourceServerSchema
  created_at: number;
  updated_at: number;
}

export interface Database {
  audit: AuditTable;
  resource_servers: ResourceServersTable;
  themes: ThemesTable;
  custom_text: CustomTextTable;
  custom_text_previews: CustomTextPreviewsTable;
  theme_assets: ThemeAssetsTable;
  theme_drafts: ThemeDraftsTable;
  theme_versions: ThemeVersionsTable;
  users: UsersTable;
  groups: GroupsTable;
  user_groups: UserGroupsTable;
  codes: CodesTable;
  oidc_artifacts: OidcArtifactsTable;
  clients: ClientsTable;
  signing_keys: SigningKeysTable;
  secrets: SecretsTable;
  settings: SettingsTable;
  outbox: OutboxTable;
  messages: MessagesTable;
  rate_limits: RateLimitsTable;
  lockouts: LockoutsTable;
  decoy_codes: DecoyCodesTable;
  sign_in_flows: SignInFlowsTable;
  events: EventsTable;
  mfa_factors: MfaFactorsTable;
  recovery_codes: RecoveryCodesTable;
  remembered_devices: RememberedDevicesTable;
  account_sessions: AccountSessionsTable;
  saml_requests: SamlRequestsTable;
  saml_replay: SamlReplayTable;
  webauthn_credentials: WebauthnCredentialsTable;
  webauthn_challenges: WebauthnChallengesTable;
  identity_providers: IdentityProvidersTable;
  user_identities: UserIdentitiesTable;
  federation_requests: FederationRequestsTable;
  federation_pending_links: FederationPendingLinksTable;
  federated_sessions: FederatedSessionsTable;
  federated_logouts: FederatedLogoutsTable;
}
