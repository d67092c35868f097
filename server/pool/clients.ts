import type { Kysely } from 'kysely';
import { COGNITO } from '../config/identity-providers';
import type { ClientSeed } from '../config/seed';
import type { Database } from '../db/schema';

/**
 * An app client as stored: RFC 7591 metadata names plus ours. Clients stored before federation
 * have no `supported_identity_providers`: see `clientProviders`.
 */
export type AppClient = Omit<ClientSeed, 'supported_identity_providers'> & { supported_identity_providers?: string[] };

/** The sign-in options an app client allows; COGNITO is the pool's own (the default). */
export function clientProviders(client: Pick<AppClient, 'supported_identity_providers'>): string[] {
  return client.supported_identity_providers ?? [COGNITO];
}

export async function findClient(db: Kysely<Database>, clientId: string): Promise<AppClient | undefined> {
  const row = await db.selectFrom('clients').select('metadata').where('client_id', '=', clientId).executeTakeFirst();
  return row ? (JSON.parse(row.metadata) as AppClient) : undefined;
}

export async function saveClient(db: Kysely<Database>, client: AppClient, now: number): Promise<void> {
  const values = { metadata: JSON.stringify(client), updated_at: now };
  await db
    .insertInto('clients')
    .values({ client_id: client.client_id, created_at: now, ...values })
    .onConflict((oc) => oc.column('client_id').doUpdateSet(values))
    .execute();
}
