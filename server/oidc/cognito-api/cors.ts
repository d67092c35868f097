import type { AppClient, Pool } from '../../pool';

/**
 * Which web origins may call the user-pool API from a browser: those an app client is registered
 * with, i.e. the origins of its redirect URIs, its sign-out URLs and its `frame_ancestors` (an SPA
 * such as Amplify's lives at its redirect URI's origin). Exact origins only; `null` (custom schemes
 * of native apps) never. Read from the database at each preflight, so a change applies at once.
 */
export function originsOf(client: AppClient): string[] {
  const origins = [...client.redirect_uris, ...client.post_logout_redirect_uris, ...(client.frame_ancestors ?? [])].flatMap((u) => {
    if (!URL.canParse(u)) return [];
    const { origin, protocol } = new URL(u);
    return (protocol === 'https:' || protocol === 'http:') && origin !== 'null' ? [origin] : [];
  });
  return [...new Set(origins)];
}

export async function isRegisteredOrigin(pool: Pool, origin: string): Promise<boolean> {
  return (await pool.clients.list()).some((c) => originsOf(c).includes(origin));
}

/** Request headers the SDKs send (Amplify: content-type, x-amz-target, x-amz-user-agent, cache-control; AWS SDK v3: amz-sdk-*). */
const ALLOWED_HEADER = /^(content-type|x-amz-target|x-amz-user-agent|cache-control|amz-sdk-[a-z-]+)$/;

/** The preflight's requested headers that are allowed, in the order asked. */
export function allowedHeaders(requested: string | undefined): string {
  return (requested ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => ALLOWED_HEADER.test(h))
    .join(', ');
}
