import type { ProviderButton } from '@/components/ProviderButtons';
import { displayName, IDP_START_PATH, type Federation, type IdentityProvider } from '@/server/federation';
import type { Pool } from '@/server/pool';

/** The start of a federated sign-in for this interaction (a plain GET: a link or a redirect). */
export function idpStartHref(uid: string, locale: string, target: { provider: string } | { idp_identifier: string } | { parked: '1' }, loginHint?: string): string {
  const params = new URLSearchParams({ uid, locale, ...target });
  if (loginHint) params.set('login_hint', loginHint);
  return `${IDP_START_PATH}?${params}`;
}

/** The buttons for some providers; `label` turns a provider's display name into "Continue with X". */
export function providerButtons(providers: IdentityProvider[], uid: string, locale: string, label: (provider: string) => string): ProviderButton[] {
  return providers.map((p) => ({
    name: p.name,
    label: label(displayName(p)),
    href: idpStartHref(uid, locale, { provider: p.name }),
    logo: `/idp-logos/${p.type}.svg`,
  }));
}

/** Whether the app client allows the pool's own sign-in (COGNITO): password, sign-up, reset. */
export async function cognitoAllowed(rt: { pool: Pool; federation: Federation }, clientId: string): Promise<boolean> {
  const client = await rt.pool.clients.find({ clientId });
  return !client || (await rt.federation.optionsFor(client)).cognito;
}
