import type { IncomingMessage, ServerResponse } from 'node:http';

/** Content-addressed answers (a hash in the URL): their bytes never change. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A whole answer: status, headers, length, and the body unless the request is a HEAD. */
export function sendBytes(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer | string = ''): void {
  res.statusCode = status;
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.setHeader('content-length', String(Buffer.byteLength(body)));
  res.end(req.method === 'HEAD' ? undefined : body);
}
