import client from 'prom-client';

type Backlog = { pending: number; failed: number; oldestPendingAgeSeconds: number };

/**
 * Prometheus metrics of this instance (prom-client): HTTP rates and latencies per route, sign-ins
 * by outcome, the password-hash queue, the message outbox backlog, and Node's own process metrics.
 * Served at /metrics behind METRICS_TOKEN or on METRICS_PORT (server/http/metrics-endpoint.ts).
 *
 * Shared through a global symbol: the custom server and Next's bundled copy of our code must add
 * to the same counters (and a metric may be registered only once).
 */
function create() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const registers = [registry];
  /** Set by the runtime: reads the outbox backlog when Prometheus scrapes. */
  let outboxBacklog: (() => Promise<Backlog>) | undefined;
  // One read per scrape serves the three outbox gauges.
  let lastRead: { at: number; value: ReturnType<NonNullable<typeof outboxBacklog>> } | undefined;
  const backlog = async () => {
    if (!outboxBacklog) return undefined;
    if (!lastRead || Date.now() - lastRead.at > 1000) lastRead = { at: Date.now(), value: outboxBacklog() };
    return lastRead.value.catch(() => undefined);
  };
  /** A gauge read from the outbox backlog when Prometheus scrapes. */
  const outboxGauge = (name: string, help: string, field: keyof Backlog) =>
    new client.Gauge({
      name,
      help,
      registers,
      async collect() {
        const b = await backlog();
        if (b) this.set(b[field]);
      },
    });
  return {
    registry,
    httpRequests: new client.Counter({
      name: 'foyer_http_requests_total',
      help: 'HTTP requests answered, by method, route and status.',
      labelNames: ['method', 'route', 'status'] as const,
      registers,
    }),
    httpDuration: new client.Histogram({
      name: 'foyer_http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route.',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    signIns: new client.Counter({
      name: 'foyer_sign_ins_total',
      help: 'Sign-in attempts by outcome: success, or the reason they were refused.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    passwordHashes: new client.Gauge({
      name: 'foyer_password_hash_queue',
      help: 'Password hashes and verifications waiting for or running on the hashing threads.',
      registers,
    }),
    outboxPending: outboxGauge('foyer_outbox_pending_messages', 'E-mails and texts waiting to be delivered.', 'pending'),
    outboxFailed: outboxGauge('foyer_outbox_failed_messages', 'E-mails and texts given up on after every retry (kept for the retention period).', 'failed'),
    outboxOldest: outboxGauge('foyer_outbox_oldest_pending_seconds', 'Age of the oldest message still waiting to be delivered.', 'oldestPendingAgeSeconds'),
    watchOutbox(read: typeof outboxBacklog) {
      outboxBacklog = read;
    },
  };
}

const KEY = Symbol.for('foyer.metrics');
type Holder = { [KEY]?: ReturnType<typeof create> };

export const metrics = ((globalThis as Holder)[KEY] ??= create());
