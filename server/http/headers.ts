import type { ServerResponse } from 'node:http';

/** Headers for everything the protocol engine answers (JSON and redirects). */
export function protocolHeaders(res: ServerResponse, secure: boolean): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  if (!res.hasHeader('content-security-policy')) {
    // script-src is there so oidc-provider can add the hash of its one inline script (the
    // auto-submitting form of a logout without a session, or of form_post responses).
    res.setHeader('content-security-policy', "default-src 'none'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'");
  }
  if (secure) res.setHeader('strict-transport-security', 'max-age=63072000');
}
