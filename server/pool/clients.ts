import type { Kysely } from 'kysely';
import { COGNITO } from '../config/identity-providers';
import { tokenValiditySchema, type ClientSeed } from '../config/seed';
import type { Database } from '../db/schema';
import { hashClientSecret, isClientSecretHash } from './client-secrets';

/**
 * An app client as stored: RFC 7591 metadata names plus ours. Clients stored before federation
 * have no `supported_identity_providers` (see `clientProviders`), those stored before per-app MFA
 * no `require_mfa` (not required).
 */
export type AppClient = Omit<ClientSeed, 'supported_identity_providers' | 'require_mfa'> & { supported_identity_providers?: string[]; require_mfa?: boolean };

/** The sign-in options an app client allows; COGNITO is the pool's own (the default). */
export function clientProviders(client: Pick<AppClient, 'supported_identity_providers'>): string[] {
  return client.supported_identity_providers ?? [COGNITO];
}

/** A client's token lifetimes in seconds, every one resolved (clients stored earlier have none). */
export type TokenLifetimes = Required<NonNullable<ClientSeed['token_validity']>>;

const defaultValidity = tokenValiditySchema.parse({});

export function tokenLifetimes(client: Pick<AppClient, 'token_validity'>): TokenLifetimes {
  const v = client.token_validity ?? defaultValidity;
  return { ...v, refresh_token_idle_seconds: v.refresh_token_idle_seconds ?? v.refresh_token_seconds };
}

/**
 * The longest an access or ID token of any client lives (the default's when there are none): how
 * long a signing key stays published after it stops signing.
 */
export async function longestSignedTokenSeconds(db: Kysely<Database>): Promise<number> {
  const rows = await db.selectFrom('clients').select('metadata').execute();
  const all = [{}, ...rows.map((r) => JSON.parse(r.metadata) as AppClient)].map(tokenLifetimes);
  return Math.max(...all.flatMap((t) => [t.access_token_seconds, t.id_token_seconds]));
}

export async function findClient(db: Kysely<Database>, clientId: string): Promise<AppClient | undefined> {
  const row = await db.selectFrom('clients').select('metadata').where('client_id', '=', clientId).executeTakeFirst();
  return row ? (JSON.parse(row.metadata) as AppClient) : undefined;
}

/** Every app client (for what spans them all, such as the origins allowed to call the Cognito API). */
export async function listClients(db: Kysely<Database>): Promise<AppClient[]> {
  const rows = await db.selectFrom('clients').select('metadata').orderBy('client_id').execute();
  return rows.map((r) => JSON.parse(r.metadata) as AppClient);
}

/** `client_secret` is stored hashed (./client-secrets): given in clear, it is hashed here. */
export async function saveClient(db: Kysely<Database>, client: AppClient, now: number): Promise<void> {
  const secret = client.client_secret;
  const stored = secret && !isClientSecretHash(secret) ? { ...client, client_secret: await hashClientSecret(db, client.client_id, secret) } : client;
  const values = { metadata: JSON.stringify(stored), updated_at: now };
  await db
    .insertInto('clients')
    .values({ client_id: client.client_id, created_at: now, ...values })
    .onConflict((oc) => oc.column('client_id').doUpdateSet(values))
    .execute();
}
