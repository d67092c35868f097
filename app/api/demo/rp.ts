import { createRemoteJWKSet } from 'jose';
import { ourCookies } from '@/app/_lib/cookies';
import { relyingParty, unpackCookie } from '@/app/_lib/relying-party';

/**
 * The demo relying party: a separate OpenID Connect client that happens to live in this process.
 * It talks to Foyer only over HTTP, as any application would.
 */
export const DEMO_CLIENT_ID = 'demo';

export const demoConfig = () => relyingParty(DEMO_CLIENT_ID);

export interface DemoSession {
  id_token: string;
  access_token: string;
}

export async function readDemoSession(): Promise<DemoSession | undefined> {
  return unpackCookie<DemoSession>((await ourCookies()).get('demoSession'), (s) => typeof s.id_token === 'string' && typeof s.access_token === 'string');
}

let jwks: { url: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

/** The issuer's published keys, fetched over HTTP like any relying party does, and cached. */
export function demoJwks(issuer: string) {
  const url = `${issuer}/.well-known/jwks.json`;
  if (jwks?.url !== url) jwks = { url, set: createRemoteJWKSet(new URL(url)) };
  return jwks.set;
}
