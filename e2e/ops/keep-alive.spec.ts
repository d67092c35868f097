import net from 'node:net';
import { expect, opsConfig, test } from '../fixtures/ops';

/**
 * A reverse proxy keeps its connections to Foyer open between requests (nginx's upstream
 * `keepalive`, 60 s idle; an AWS ALB, 60 s) and may send the next request on one at any moment.
 * If Foyer closed idle connections sooner (Node's default is 5 s), a request could cross the
 * close: the proxy answers 502 and, for a POST (a sign-in form, a token request), does not retry.
 * So an idle connection must outlive Node's default, and KEEP_ALIVE_TIMEOUT_SECONDS must be obeyed.
 */

/** Node's own default for `server.keepAliveTimeout`, which Foyer must outlast. */
const NODE_DEFAULT_MS = 5_000;

type Conn = { socket: net.Socket; closed: Promise<number>; get: (path: string) => Promise<string> };

/** One raw HTTP/1.1 connection, so that which connection a request rides on is certain. */
async function connect(port: number): Promise<Conn> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let buffer = '';
  let waiting: ((head: string) => void) | undefined;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    // /health/live answers a short body with Content-Length: the whole answer is one read here.
    const m = /^HTTP\/1\.1 [\s\S]*?\r\n\r\n/.exec(buffer);
    const length = m ? Number(/content-length: (\d+)/i.exec(m[0])?.[1] ?? 0) : -1;
    if (m && Buffer.byteLength(buffer.slice(m[0].length)) >= length) {
      const head = m[0];
      buffer = '';
      waiting?.(head);
    }
  });
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
  return {
    socket,
    closed,
    get: (path) =>
      new Promise<string>((resolve, reject) => {
        waiting = resolve;
        socket.once('error', reject);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
      }),
  };
}

test('an idle keep-alive connection outlives Node’s 5 s default and is reused; KEEP_ALIVE_TIMEOUT_SECONDS closes it when set', async ({ fleet }) => {
  test.setTimeout(120_000);
  const [standard, short] = await Promise.all([
    fleet.start({ config: opsConfig() }),
    fleet.start({ config: opsConfig(), env: { KEEP_ALIVE_TIMEOUT_SECONDS: '1' } }),
  ]);

  // The default: still open a second after Node would have closed it, and the next request rides on it.
  const kept = await connect(standard.port);
  expect(await kept.get('/health/live')).toMatch(/^HTTP\/1\.1 200/);
  const open = await Promise.race([kept.closed.then(() => 'closed'), new Promise((r) => setTimeout(r, NODE_DEFAULT_MS + 1_000, 'open'))]);
  expect(open, 'the idle connection is still open past 5 s').toBe('open');
  expect(await kept.get('/health/live')).toMatch(/^HTTP\/1\.1 200/);
  kept.socket.destroy();

  // Set to 1 s: the server itself closes the idle connection, after about that long.
  const brief = await connect(short.port);
  expect(await brief.get('/health/live')).toMatch(/^HTTP\/1\.1 200/);
  const idleFrom = Date.now();
  const closedAt = await Promise.race([brief.closed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('not closed within 10 s')), 10_000))]);
  expect(closedAt - idleFrom).toBeGreaterThanOrEqual(900);
  expect(closedAt - idleFrom).toBeLessThan(NODE_DEFAULT_MS);
});
