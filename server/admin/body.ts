import type { IncomingMessage } from 'node:http';
import { Problem } from './problem';

/** Admin API bodies are records of a user, group or theme: 256 KiB is plenty (theme assets aside). */
export const ADMIN_BODY_LIMIT_BYTES = 256 * 1024;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;

/** The request's JSON body: 415 for another media type, 413 when too large, 400 when not JSON. */
export async function readJson(req: IncomingMessage, limit = ADMIN_BODY_LIMIT_BYTES): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!JSON_TYPE.test(type)) {
    await drain(req, limit);
    throw new Problem(415, 'unsupported-media-type', 'The body must be JSON', 'send Content-Type: application/json');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    await drain(req, limit);
    throw tooLarge(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      await drain(req, limit);
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Problem(400, 'malformed-json', 'The body is not JSON', (e as Error).message);
  }
}

const tooLarge = (limit: number) => new Problem(413, 'too-large', 'The body is too large', `at most ${limit} bytes`, { headers: { connection: 'close' } });

/** Reads what is left of a refused body (up to a bound, then the connection goes), so the answer reaches the client. */
async function drain(req: IncomingMessage, limit: number): Promise<void> {
  if (req.complete || req.readableEnded) return;
  let read = 0;
  await new Promise<void>((resolve) => {
    req.on('data', (chunk: Buffer) => {
      read += chunk.length;
      if (read > 4 * limit) {
        req.destroy();
        resolve();
      }
    });
    req.on('end', resolve);
    req.on('close', resolve);
    req.on('error', () => resolve());
  });
}
