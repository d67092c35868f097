import http from 'node:http';
import net from 'node:net';
import { log } from '../log';

/** Resolves once `server` listens on `port` at `host` (0: any free port); rejects on EADDRINUSE etc. */
export function listen(server: http.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/** A port nobody listens on right now (for PORT=0: Next.js wants its port before we listen). */
export async function freePort(host: string): Promise<number> {
  const probe = net.createServer();
  const port = await new Promise<number>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, () => resolve((probe.address() as net.AddressInfo).port));
  });
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Lets the event loop poll once more: the connections waiting in the accept queue are taken. */
const nextPoll = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Requests in flight, and the way to stop taking new ones. On SIGTERM the instance first says it
 * is not ready (so a load balancer checking /health/ready stops sending) while it keeps serving for
 * `delayMs`; then the listening socket closes after one more poll (connections already queued in
 * it are accepted and answered, not reset), idle keep-alive connections close, answers still being
 * written finish (bounded), and the rest is cut.
 */
export function drainer(servers: http.Server[]) {
  const inFlight = new Set<http.ServerResponse>();
  let draining = false;
  let idle: (() => void) | undefined;
  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight.size;
    },
    /** Counts `res` until it is sent or its connection is gone; while draining, asks the client to reconnect. */
    track(res: http.ServerResponse) {
      inFlight.add(res);
      if (draining) res.setHeader('connection', 'close');
      const done = () => {
        inFlight.delete(res);
        if (inFlight.size === 0) idle?.();
      };
      res.once('finish', done);
      res.once('close', done);
    },
    /** Not ready from now on; the port stays open for `delayMs`, then closes. */
    async closePort(delayMs: number): Promise<void> {
      draining = true;
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      await nextPoll();
      for (const s of servers) {
        s.close();
        s.closeIdleConnections();
      }
    },
    /** Waits for in-flight answers up to `timeoutMs`, then closes what is left. */
    async finish(timeoutMs: number): Promise<{ unfinished: number }> {
      if (inFlight.size > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      const unfinished = inFlight.size;
      if (unfinished > 0) log.warn({ unfinished }, 'shutdown: cutting requests still in flight after the grace period');
      for (const s of servers) s.closeAllConnections();
      return { unfinished };
    },
  };
}
