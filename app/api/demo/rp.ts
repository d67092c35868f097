import { createRemoteJWKSet } from 'jose';
import * as oidc from 'openid-client';
import { cookies } from 'next/headers';
import { runtime } from '@/server/runtime-handle';

/**
 * The demo relying party: a separate OpenID Connect client that happens to live in this process.
 * It talks to Foyer only over HTTP, as any application would.
 */
export const DEMO_CLIENT_ID = 'demo';
export const txCookie = 'foyer-demo.tx';
export const sessionCookie = 'foyer-demo.session';

let cached: { issuer: string; config: Promise<oidc.Configuration> } | undefined;

export async function demoConfig(): Promise<{ config: oidc.Configuration; base: string } | undefined> {
  const rt = await runtime();
  const issuer = rt.env.publicUrl;
  const client = await rt.pool.clients.find(DEMO_CLIENT_ID);
  if (!client?.client_secret) return undefined;
  if (!cached || cached.issuer !== issuer) {
    const options = issuer.startsWith('http://') ? { execute: [oidc.allowInsecureRequests] } : undefined;
    cached = { issuer, config: oidc.discovery(new URL(issuer), client.client_id, undefined, oidc.ClientSecretBasic(client.client_secret), options) };
    cached.config.catch(() => (cached = undefined));
  }
  return { config: await cached.config, base: issuer };
}

export async function cookieOptions(path = '/') {
  const rt = await runtime();
  return { httpOnly: true, sameSite: 'lax' as const, secure: rt.env.publicUrl.startsWith('https://'), path };
}

export interface DemoSession {
  id_token: string;
  access_token: string;
}

export async function readDemoSession(): Promise<DemoSession | undefined> {
  const raw = (await cookies()).get(sessionCookie)?.value;
  if (!raw) return undefined;
  try {
    const s = JSON.parse(Buffer.from(raw, 'base64url').toString()) as DemoSession;
    return typeof s.id_token === 'string' && typeof s.access_token === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
}

let jwks: { url: string; set: ReturnType<typeof createRemoteJWKSet> } | undefined;

/** The issuer's published keys, fetched over HTTP like any relying party does, and cached. */
export function demoJwks(issuer: string) {
  const url = `${issuer}/.well-known/jwks.json`;
  if (jwks?.url !== url) jwks = { url, set: createRemoteJWKSet(new URL(url)) };
  return jwks.set;
}
