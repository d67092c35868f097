import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A form posted without JavaScript is answered by Next.js with the re-rendered page, always 200.
 * An action that refused the input marks the response with this cookie name; here it becomes the
 * HTTP status (400, 403, 429) and the marker is removed before anything is sent.
 */
export const STATUS_SIGNAL = 'foyer.status';

export function isPlainFormPost(req: IncomingMessage): boolean {
  const type = req.headers['content-type'] ?? '';
  return req.method === 'POST' && !req.headers['next-action'] && /^(multipart\/form-data|application\/x-www-form-urlencoded)/.test(type);
}

export function applyStatusSignal(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const cookies = res.getHeader('set-cookie');
    const list = Array.isArray(cookies) ? cookies : typeof cookies === 'string' ? [cookies] : [];
    const marker = list.find((c) => c.startsWith(`${STATUS_SIGNAL}=`));
    if (marker) {
      const status = Number(/^[^=]+=(\d{3})/.exec(marker)?.[1]);
      res.setHeader('set-cookie', list.filter((c) => c !== marker));
      if (status >= 400 && status < 500 && (typeof args[0] !== 'number' || args[0] === 200)) {
        res.statusCode = status;
        if (typeof args[0] === 'number') args[0] = status;
      }
    }
    return writeHead(...args);
  }) as ServerResponse['writeHead'];
}
