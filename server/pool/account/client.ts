import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { COGNITO } from '../../config/identity-providers';
import { hashClientSecret, inProcessClientSecret } from '../client-secrets';
import { findClient, saveClient } from '../clients';

/**
 * The account pages and the admin console are apps of the pool like any other: they sign users in
 * through the authorization endpoint, so every way of signing in (and re-authenticating) works
 * for them too.
 */
export const ACCOUNT_CLIENT_ID = 'foyer-account';
export const CONSOLE_CLIENT_ID = 'foyer-console';

/** The built-in clients: no config manages or exports them, and no config may take their ids. */
export const INTERNAL_CLIENT_IDS: readonly string[] = [ACCOUNT_CLIENT_ID, CONSOLE_CLIENT_ID];
export const isInternalClient = (clientId: string): boolean => INTERNAL_CLIENT_IDS.includes(clientId);

/** The console asks admins for a second factor even in a pool whose MFA is off (mfa/app-requirement.ts); the account pages follow the pool's policy. */
const internal = {
  [ACCOUNT_CLIENT_ID]: { name: 'Account', api: '/api/account', requireMfa: false },
  [CONSOLE_CLIENT_ID]: { name: 'Admin console', api: '/api/console', requireMfa: true },
} as const;

/** The pool's own sign-in plus every identity provider: users who came through one (and may have no password) sign in to these the same way. */
async function allProviders(db: Kysely<Database>): Promise<string[]> {
  const providers = (await db.selectFrom('identity_providers').select('name').orderBy('created_at').orderBy('name').execute()).map((p) => p.name);
  return [COGNITO, ...providers];
}

async function ensureInternalClient(db: Kysely<Database>, clientId: keyof typeof internal, publicUrl: string, now: number): Promise<void> {
  const stored = await findClient(db, clientId);
  const { name, api, requireMfa } = internal[clientId];
  const wanted = {
    client_id: clientId,
    // Hashed, as every client's: the pages authenticate with their derived secret.
    client_secret: await hashClientSecret(db, clientId, inProcessClientSecret(clientId)),
    client_name: name,
    redirect_uris: [`${publicUrl}${api}/callback`],
    post_logout_redirect_uris: [`${publicUrl}${api}/signed-out`],
    grant_types: ['authorization_code' as const],
    token_endpoint_auth_method: 'client_secret_basic' as const,
    scope: 'openid email phone profile',
    third_party: false,
    supported_identity_providers: await allProviders(db),
    require_mfa: requireMfa,
  };
  if (stored && JSON.stringify(stored) === JSON.stringify(wanted)) return;
  await saveClient(db, wanted, now);
}

export const ensureAccountClient = (db: Kysely<Database>, publicUrl: string, now: number) => ensureInternalClient(db, ACCOUNT_CLIENT_ID, publicUrl, now);

/** The admin console's client (issue 12): kept as the account pages' is, at every start. */
export const ensureConsoleClient = (db: Kysely<Database>, publicUrl: string, now: number) => ensureInternalClient(db, CONSOLE_CLIENT_ID, publicUrl, now);

/**
 * Keeps the internal clients' providers in step when one is added or removed after start (the
 * admin API): the account pages and the console sign in through all of them.
 */
export async function syncInternalClientProviders(db: Kysely<Database>, now: number): Promise<void> {
  const supported = await allProviders(db);
  for (const clientId of INTERNAL_CLIENT_IDS) {
    const stored = await findClient(db, clientId);
    if (stored) await saveClient(db, { ...stored, supported_identity_providers: supported }, now);
  }
}
