import type { ServerResponse } from 'node:http';

/**
 * Headers every answer carries, set before anyone else answers (pages, Next's 404 for `/foo.php`,
 * `/api/*`, static assets, health, metrics, errors, refusals). Pages replace the CSP with their
 * own (a nonce per answer, see proxy.ts); this one only lets a page use its own origin's files.
 */
export function securityHeaders(res: ServerResponse, secure: boolean): void {
  for (const [k, v] of Object.entries(securityHeaderList(secure))) res.setHeader(k, v);
}

export function securityHeaderList(secure: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'content-security-policy': "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ...(secure ? { 'strict-transport-security': 'max-age=63072000' } : {}),
  };
}

/** Headers for everything the protocol engine answers (JSON and redirects). */
export function protocolHeaders(res: ServerResponse, secure: boolean): void {
  securityHeaders(res, secure);
  res.setHeader('referrer-policy', 'no-referrer');
  // script-src is there so oidc-provider can add the hash of its one inline script (the
  // auto-submitting form of a logout without a session, or of form_post responses).
  res.setHeader('content-security-policy', "default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'");
}
