import type { Kysely } from 'kysely';
import { COGNITO, identityProviderSchema, type IdentityProviderConfig, type ProviderType } from '../config/identity-providers';
import type { Database } from '../db/schema';
import { clientProviders, type AppClient } from '../pool/clients';

export type IdentityProvider = IdentityProviderConfig;

const brands: Partial<Record<ProviderType, string>> = {
  google: 'Google',
  apple: 'Apple',
  facebook: 'Facebook',
  amazon: 'Amazon',
  microsoft: 'Microsoft',
};

/** What the button says after "Continue with". */
export function displayName(p: IdentityProvider): string {
  return p.display_name ?? brands[p.type] ?? p.name;
}

// Provider records (sealed secrets, saving) are the pool's data: the admin API writes them too.
export { openProviderConfig, resealProviderSecrets, saveProvider, sealProviderConfig } from '../pool/provider-records';
import { openProviderConfig } from '../pool/provider-records';

// DESIGN: every instance sees a change within a second.
const CACHE_MS = 1_000;

/** The providers live in the database; a short cache keeps them off every page's path. */
export function providerReader(db: Kysely<Database>) {
  let cached: { at: number; value: Promise<IdentityProvider[]> } | undefined;
  const load = async () => {
    const rows = await db.selectFrom('identity_providers').select(['name', 'config']).orderBy('created_at').orderBy('name').execute();
    const out: IdentityProvider[] = [];
    for (const row of rows) {
      const parsed = identityProviderSchema.safeParse(openProviderConfig(row.name, row.config));
      // A record edited into an invalid shape is left out (and said), never half-used.
      if (parsed.success) out.push(parsed.data);
      else console.error(`identity provider "${row.name}" is invalid and is ignored: ${parsed.error.issues[0]?.message}`);
    }
    return out;
  };
  const list = () => {
    if (!cached || Date.now() - cached.at > CACHE_MS) {
      cached = { at: Date.now(), value: load() };
      cached.value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
  return {
    list,
    get: async (name: string) => (await list()).find((p) => p.name === name),
    /** As `get`, read from the database now (and cached): an admin tests the record they just saved. */
    fresh: async (name: string) => {
      cached = undefined;
      return (await list()).find((p) => p.name === name);
    },
    forget: () => void (cached = undefined),
  };
}
export type ProviderReader = ReturnType<typeof providerReader>;

/** The sign-in options of one app client: whether the password form shows, and which buttons. */
export function optionsFor(all: IdentityProvider[], client: Pick<AppClient, 'supported_identity_providers'>) {
  const allowed = clientProviders(client);
  return {
    cognito: allowed.includes(COGNITO),
    providers: allowed.flatMap((name) => all.filter((p) => p.name === name)),
  };
}

/** Cognito's `idp_identifier`: a provider's identifier, compared without case. */
export function providerForIdentifier(providers: IdentityProvider[], identifier: string): IdentityProvider | undefined {
  const wanted = identifier.trim().toLowerCase();
  return providers.find((p) => p.idp_identifiers.some((id) => id.toLowerCase() === wanted));
}

/** Domain search: the provider whose identifiers include the domain of a typed e-mail address. */
export function providerForEmail(providers: IdentityProvider[], email: string): IdentityProvider | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return undefined;
  return providerForIdentifier(providers, email.slice(at + 1));
}
