import path from 'node:path';
import { z } from 'zod';

/** Process configuration, read once from the environment. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  FOYER_CONFIG: z.string().min(1).optional(),
  FOYER_CONFIG_PRUNE: z.enum(['0', '1'], { error: 'must be 0 or 1' }).optional(),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Foyer <no-reply@foyer.localhost>'),
  FOYER_DEV_OUTBOX: z.enum(['0', '1']).optional(),
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  SMS_WEBHOOK_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  SMS_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  FOYER_SECRET: z.string().optional(),
  FOYER_SECRET_FILE: z.string().min(1).optional(),
  FOYER_SECRET_PREVIOUS: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').max(512).optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  METRICS_HOST: z.string().min(1).optional(),
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(0).max(3600).default(20),
  SHUTDOWN_DELAY_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(65),
  EVENTS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(365),
});

export type Env = {
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl?: string;
  dataDir: string;
  configPath?: string;
  /** Remove the clients, groups and providers FOYER_CONFIG's sections do not name. */
  configPrune: boolean;
  smtpUrl?: string;
  mailFrom: string;
  devOutboxForced: boolean;
  /** How many reverse proxies in front of us append to X-Forwarded-For (0: use the socket). */
  trustProxy: number;
  /** Where texts are POSTed; without it they go to the dev outbox. */
  smsWebhookUrl?: string;
  /** Signs each POST (HMAC-SHA256) so the receiver can tell it came from us. */
  smsWebhookSecret?: string;
  /** The deployment's shared secret (or a file holding it); see server/secrets/deployment.ts. */
  secret?: string;
  secretFile?: string;
  /** Older deployment secrets, during a rotation: they only open what they sealed. */
  previousSecrets: string[];
  /** /metrics on the public port needs `Authorization: Bearer <metricsToken>`; without it, it is not served there. */
  metricsToken?: string;
  /** A separate listener serving only /metrics (for a scraper on a private network). */
  metricsPort?: number;
  metricsHost: string;
  /** On SIGTERM, how long requests in flight may take to finish before they are cut. */
  shutdownTimeoutSeconds: number;
  /** On SIGTERM, how long to keep serving (not ready) before the port closes: a load balancer's health-check interval. */
  shutdownDelaySeconds: number;
  /**
   * How long an idle keep-alive connection stays open. Longer than the reverse proxy's own idle
   * timeout for upstream connections (nginx 60 s, AWS ALB 60 s): otherwise the proxy can send a
   * request on a connection we are closing, and a POST lost that way is a 502 it does not retry.
   */
  keepAliveTimeoutSeconds: number;
  /** Events (the audit log) older than this many days are swept. */
  eventsRetentionDays: number;
  /**
   * Admin audit rows (the admin API's writes) older than this many days are swept. Set by the
   * operator, not in the pool settings: an admin must not be able to shorten the record of their own acts.
   */
  auditRetentionDays: number;
};

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const blankless = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(blankless);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.FOYER_SECRET !== undefined && e.FOYER_SECRET_FILE !== undefined) {
    throw new Error('Invalid environment variable FOYER_SECRET_FILE: set FOYER_SECRET or FOYER_SECRET_FILE, not both');
  }
  if (e.SMS_WEBHOOK_SECRET && !e.SMS_WEBHOOK_URL) {
    throw new Error('Invalid environment variable SMS_WEBHOOK_SECRET: set only with SMS_WEBHOOK_URL');
  }
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  const parsedUrl = new URL(publicUrl);
  if (!/^https?:$/.test(parsedUrl.protocol) || parsedUrl.pathname !== '/' || parsedUrl.search || parsedUrl.hash) {
    throw new Error('Invalid environment variable PUBLIC_URL: must be http(s)://host[:port] with no path, query or fragment');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    configPath: e.FOYER_CONFIG,
    configPrune: e.FOYER_CONFIG_PRUNE === '1',
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    devOutboxForced: e.FOYER_DEV_OUTBOX === '1',
    trustProxy: e.TRUST_PROXY,
    smsWebhookUrl: e.SMS_WEBHOOK_URL,
    smsWebhookSecret: e.SMS_WEBHOOK_SECRET,
    secret: e.FOYER_SECRET,
    secretFile: e.FOYER_SECRET_FILE,
    previousSecrets: (e.FOYER_SECRET_PREVIOUS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    metricsToken: e.METRICS_TOKEN,
    metricsPort: e.METRICS_PORT,
    metricsHost: e.METRICS_HOST ?? e.HOST,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    shutdownDelaySeconds: e.SHUTDOWN_DELAY_SECONDS,
    keepAliveTimeoutSeconds: e.KEEP_ALIVE_TIMEOUT_SECONDS,
    eventsRetentionDays: e.EVENTS_RETENTION_DAYS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
  };
}

/** True when the issuer can only be reached from this machine. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

export function isLoopbackIp(ip: string): boolean {
  const v = ip.replace(/^::ffff:/, '');
  return v === '::1' || /^127\./.test(v);
}

/**
 * The client's address: the socket's, or with `trust` proxies in front, the entry they added to
 * X-Forwarded-For (entries further left are whatever the client claimed).
 */
export function clientIp(socketIp: string | undefined, forwardedFor: string | string[] | undefined, trust: number): string {
  const socket = socketIp ?? 'unknown';
  if (trust === 0 || !forwardedFor) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((s) => s.trim()).filter(Boolean);
  return hops[hops.length - trust] ?? hops[0] ?? socket;
}
