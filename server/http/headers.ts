import type { ServerResponse } from 'node:http';

/** Headers for everything the protocol engine answers (JSON and redirects). */
export function protocolHeaders(res: ServerResponse, secure: boolean): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  if (!res.hasHeader('content-security-policy')) {
    res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'; base-uri 'none'");
  }
  if (secure) res.setHeader('strict-transport-security', 'max-age=63072000; includeSubDomains');
}
