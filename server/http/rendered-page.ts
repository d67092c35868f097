import type { IncomingMessage, ServerResponse } from 'node:http';

/** Renders one of our Next.js pages (say, the error page) for a request that Next.js does not answer. */
export type PageRenderer = (path: string, headers: Record<string, string | undefined>) => Promise<{ html: string; headers: Record<string, string> }>;

/** Answers `req` with our page at `path` (in the browser's language and theme) and `status`. */
export async function sendRenderedPage(req: IncomingMessage, res: ServerResponse, render: PageRenderer, path: string, status: number, extra: Record<string, string> = {}): Promise<void> {
  const page = await render(path, { cookie: req.headers.cookie, 'accept-language': req.headers['accept-language'] });
  res.statusCode = status;
  for (const [k, v] of Object.entries({ ...page.headers, 'content-type': 'text/html; charset=utf-8', ...extra })) res.setHeader(k, v);
  res.end(page.html);
}
