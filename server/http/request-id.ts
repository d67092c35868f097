import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { withRequestContext } from '../log';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Names a request and runs `fn` as it: answered as `x-request-id`, carried by its log lines and
 * audit rows. A request id from a trusted proxy in front ties its logs to ours; a client's is not
 * believed.
 */
export function withRequestId(req: IncomingMessage, res: ServerResponse, trustProxy: number, fn: (reqId: string) => void): void {
  const given = req.headers['x-request-id'];
  const reqId = trustProxy > 0 && typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', reqId);
  withRequestContext({ reqId }, () => fn(reqId));
}
