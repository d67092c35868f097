/**
 * Our service-provider URLs. Each provider gets its own SP entity ID, which is also the URL of
 * its SP metadata (so an IdP admin can paste the entity ID to fetch it); the assertion consumer
 * service and the single-logout endpoint are shared and route by the message (see route.ts).
 *
 *   entity ID / metadata  ${PUBLIC_URL}/saml2/metadata/<provider name, URL-encoded>
 *   ACS (HTTP-POST)       ${PUBLIC_URL}/saml2/idpresponse
 *   SLO (Redirect, POST)  ${PUBLIC_URL}/saml2/logout
 */
export interface SpEndpoints {
  entityId: string;
  metadataUrl: string;
  acsUrl: string;
  sloUrl: string;
}

export const SAML_PATHS = {
  metadataPrefix: '/saml2/metadata/',
  acs: '/saml2/idpresponse',
  slo: '/saml2/logout',
} as const;

export function spEndpoints(publicUrl: string, providerName: string): SpEndpoints {
  const base = publicUrl.replace(/\/+$/, '');
  const metadataUrl = `${base}${SAML_PATHS.metadataPrefix}${encodeURIComponent(providerName)}`;
  return { entityId: metadataUrl, metadataUrl, acsUrl: `${base}${SAML_PATHS.acs}`, sloUrl: `${base}${SAML_PATHS.slo}` };
}

/** The provider name in one of our SP entity IDs, or null when it is not one of ours. */
export function providerNameFromEntityId(publicUrl: string, entityId: string): string | null {
  const prefix = `${publicUrl.replace(/\/+$/, '')}${SAML_PATHS.metadataPrefix}`;
  if (!entityId.startsWith(prefix)) return null;
  const rest = entityId.slice(prefix.length);
  if (rest === '' || rest.includes('/')) return null;
  try {
    return decodeURIComponent(rest);
  } catch {
    return null;
  }
}
