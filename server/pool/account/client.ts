import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { COGNITO } from '../../config/identity-providers';
import { hashClientSecret, inProcessClientSecret } from '../client-secrets';
import { findClient, saveClient } from '../clients';

/**
 * The account pages are an app of the pool like any other: they sign users in through the
 * authorization endpoint, so every way of signing in (and re-authenticating) works for them too.
 */
export const ACCOUNT_CLIENT_ID = 'foyer-account';

export async function ensureAccountClient(db: Kysely<Database>, publicUrl: string, now: number): Promise<void> {
  const stored = await findClient(db, ACCOUNT_CLIENT_ID);
  // Users who came through a provider (and may have no password) sign in to their account the same way.
  const providers = (await db.selectFrom('identity_providers').select('name').orderBy('created_at').orderBy('name').execute()).map((p) => p.name);
  const wanted = {
    client_id: ACCOUNT_CLIENT_ID,
    // Hashed, as every client's: the account pages authenticate with their derived secret.
    client_secret: await hashClientSecret(db, ACCOUNT_CLIENT_ID, inProcessClientSecret(ACCOUNT_CLIENT_ID)),
    client_name: 'Account',
    redirect_uris: [`${publicUrl}/api/account/callback`],
    post_logout_redirect_uris: [`${publicUrl}/api/account/signed-out`],
    grant_types: ['authorization_code' as const],
    token_endpoint_auth_method: 'client_secret_basic' as const,
    scope: 'openid email phone profile',
    third_party: false,
    supported_identity_providers: [COGNITO, ...providers],
  };
  if (stored && JSON.stringify(stored) === JSON.stringify(wanted)) return;
  await saveClient(db, wanted, now);
}

/**
 * Keeps the account client's providers the pool's own sign-in plus every provider, when one is
 * added or removed after start (the admin API): account pages sign in through all of them.
 */
export async function syncAccountClientProviders(db: Kysely<Database>, now: number): Promise<void> {
  const stored = await findClient(db, ACCOUNT_CLIENT_ID);
  if (!stored) return;
  const providers = (await db.selectFrom('identity_providers').select('name').orderBy('created_at').orderBy('name').execute()).map((p) => p.name);
  await saveClient(db, { ...stored, supported_identity_providers: [COGNITO, ...providers] }, now);
}
