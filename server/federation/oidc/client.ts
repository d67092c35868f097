import { createHash } from 'node:crypto';
import * as oidc from 'openid-client';
import { oauthSettings, type OAuthProvider, type OAuthSettings } from '../presets';

const TIMEOUT_SECONDS = 10;
const CACHE_MS = 60 * 60_000;

/** Loopback http (tests, local development) is the only plain-http provider the config lets through. */
const insecure = (url: string) => url.startsWith('http://');

/** Could not reach the provider, or its metadata was unusable: shown as "provider unavailable". */
export class ProviderUnavailable extends Error {}

export interface ProviderClient {
  settings: OAuthSettings;
  config: oidc.Configuration;
}

const cache = new Map<string, { key: string; at: number; client: Promise<ProviderClient> }>();

async function build(p: OAuthProvider): Promise<ProviderClient> {
  const settings = oauthSettings(p);
  const execute = [];
  if (insecure(settings.kind === 'oidc' ? settings.issuer : settings.endpoints.token_endpoint) || (settings.kind === 'oauth2' && Object.values(settings.endpoints).some(insecure))) {
    execute.push(oidc.allowInsecureRequests);
  }
  if (settings.kind === 'oidc') {
    // Verify the ID token's signature even though it comes straight from the token endpoint:
    // a forged or unsigned token is refused, not trusted for arriving over TLS.
    execute.push(oidc.enableNonRepudiationChecks);
    try {
      // Discovery checks that the document's issuer is exactly the configured one.
      const config = await oidc.discovery(new URL(settings.issuer), settings.clientId, undefined, settings.clientAuth, { execute, timeout: TIMEOUT_SECONDS });
      return { settings, config };
    } catch (e) {
      throw new ProviderUnavailable(`discovery of ${settings.issuer} failed: ${(e as Error).message}`, { cause: e });
    }
  }
  const config = new oidc.Configuration({ issuer: settings.issuer, ...settings.endpoints }, settings.clientId, undefined, settings.clientAuth);
  config.timeout = TIMEOUT_SECONDS;
  for (const run of execute) run(config);
  return { settings, config };
}

/** One client per provider record, discovered once an hour; a failed discovery is not kept. */
export function providerClient(p: OAuthProvider): Promise<ProviderClient> {
  const key = createHash('sha256').update(JSON.stringify(p)).digest('base64url');
  const hit = cache.get(p.name);
  if (hit && hit.key === key && Date.now() - hit.at < CACHE_MS) return hit.client;
  const client = build(p);
  cache.set(p.name, { key, at: Date.now(), client });
  client.catch(() => {
    if (cache.get(p.name)?.client === client) cache.delete(p.name);
  });
  return client;
}
