import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import pino, { type Logger } from 'pino';

/**
 * Structured logs: one JSON object per line on stdout (pino), with the request id of the request
 * being served. `LOG_FORMAT=pretty` (the default on a terminal) prints one readable line instead.
 * `LOG_LEVEL` (trace … fatal, silent) sets the threshold; `info` by default.
 *
 * Never log secrets, codes, tokens, passwords or cookies: the redaction below is a safety net for
 * fields with those names, not a licence to pass them.
 */
export type RequestContext = { reqId: string };

const KEY = Symbol.for('foyer.log');
type Holder = { [KEY]?: { log: Logger; context: AsyncLocalStorage<RequestContext> } };

const REDACT = [
  'password', '*.password', 'code', '*.code', 'token', '*.token', 'secret', '*.secret',
  'authorization', '*.authorization', 'cookie', '*.cookie', 'headers.cookie', 'headers.authorization',
  'client_secret', '*.client_secret', 'body', '*.body',
];

/** One line per record for a person at a terminal: time, level, message, then the other fields. */
function prettyStream(out: NodeJS.WritableStream) {
  return {
    write(line: string) {
      try {
        const { level, time, msg, ...rest } = JSON.parse(line) as Record<string, unknown>;
        const extra = Object.entries(rest)
          .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
          .join(' ');
        const clock = typeof time === 'string' ? time.slice(11, 19) : '';
        out.write(`${clock} ${String(level).toUpperCase()} ${String(msg ?? '')}${extra ? `  ${extra}` : ''}\n`);
      } catch {
        out.write(line);
      }
    },
  };
}

function create(): NonNullable<Holder[typeof KEY]> {
  const context = new AsyncLocalStorage<RequestContext>();
  const format = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json');
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL || 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    messageKey: 'msg',
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT, censor: '[redacted]' },
    mixin: () => {
      const c = context.getStore();
      return c ? { reqId: c.reqId } : {};
    },
    serializers: { err: pino.stdSerializers.err },
  };
  // Errors go to stderr, the rest to stdout (each record once), as process supervisors expect.
  const out = (fd: 1 | 2) => (format === 'pretty' ? prettyStream(fd === 1 ? process.stdout : process.stderr) : pino.destination({ fd, sync: true }));
  const log = pino(options, pino.multistream([{ level: 'trace', stream: out(1) }, { level: 'error', stream: out(2) }], { dedupe: true }));
  return { log, context };
}

/** Shared through a global symbol, so the custom server and Next's bundled copy log alike. */
function holder() {
  const h = globalThis as Holder;
  return (h[KEY] ??= create());
}

export const log: Logger = holder().log;

/** Runs `fn` with `ctx` as the current request: everything it logs carries `reqId`. */
export function withRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return holder().context.run(ctx, fn);
}

export function currentRequestId(): string | undefined {
  return holder().context.getStore()?.reqId;
}

/** The message of an unknown thrown value, for a log line. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Sends what libraries print with console.* (Next.js, oidc-provider) through the logger, so the
 * process's output is one stream of JSON records.
 */
export function captureConsole(): void {
  const levels = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug' } as const;
  for (const [method, level] of Object.entries(levels) as [keyof typeof levels, (typeof levels)[keyof typeof levels]][]) {
    console[method] = (...args: unknown[]) => log[level](format(...args));
  }
}
