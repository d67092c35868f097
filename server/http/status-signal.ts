import type { ServerResponse } from 'node:http';

/**
 * Next.js cannot set the status of every answer we want a 4xx for: a form posted without
 * JavaScript is answered with the re-rendered page (200), and a proxy rewrite to the error page
 * loses its status. An action marks its response with a cookie of this name, the proxy with a
 * header of this name; here the mark becomes the HTTP status and is removed before anything is sent.
 */
export const STATUS_SIGNAL = 'foyer.status';
export const STATUS_HEADER = 'x-foyer-status';

export function applyStatusSignal(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    const fromProxy = Number(res.getHeader(STATUS_HEADER));
    if (res.hasHeader(STATUS_HEADER)) res.removeHeader(STATUS_HEADER);
    if (fromProxy >= 400 && fromProxy < 500 && (typeof args[0] !== 'number' || args[0] === 200)) {
      res.statusCode = fromProxy;
      if (typeof args[0] === 'number') args[0] = fromProxy;
    }
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
