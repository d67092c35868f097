import { headers } from 'next/headers';

/** What a page or action knows about the request, as the proxy and custom server left it. */
export async function requestInfo() {
  const h = await headers();
  const bag: Record<string, string> = {};
  h.forEach((v, k) => (bag[k] = v));
  return {
    ip: h.get('x-foyer-client-ip') ?? 'unknown',
    csrf: h.get('x-foyer-csrf') ?? '',
    nonce: h.get('x-nonce') ?? undefined,
    headers: bag,
  };
}
