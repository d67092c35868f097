import type Provider from 'oidc-provider';
import { demoSeed, readSeedFile } from './config/seed';
import { isLoopbackIp, isLoopbackUrl, type Env } from './config/env';
import { warmUpPasswordTiming } from './pool/passwords/hash';
import { connect, migrate, type Db } from './db';
import { outboxMailer, smtpMailer } from './mail/mailer';
import { outboxSmsSender, webhookSmsSender } from './sms/sender';
import { createProvider, signingKeys, sweepExpired, userinfoHandler } from './oidc';
import { createPool, type Pool } from './pool';
import { sealerFor } from './pool/mfa/seal';
import { createOutboxWorker, type OutboxWorker } from './outbox/worker';
import { applySeedIfEmpty } from './pool/seed';
import { ensureSecret } from './pool/secrets';
import { ensureAccountClient } from './pool/account/client';
import { createFederationHttp, type FederationHttp } from './federation/http';
import type { PageRenderer } from './http/rendered-page';

/**
 * The built-in demo app's redirect URIs follow PUBLIC_URL (and PORT), which may differ from the
 * first start's; its secret stays as first made.
 */
async function followPublicUrl(pool: Pool, demo: ReturnType<typeof demoSeed>): Promise<void> {
  const wanted = demo.clients[0];
  const stored = await pool.clients.find(wanted.client_id);
  if (!stored) return;
  if (stored.redirect_uris.join() === wanted.redirect_uris.join() && stored.post_logout_redirect_uris.join() === wanted.post_logout_redirect_uris.join()) return;
  await pool.clients.save({ ...stored, redirect_uris: wanted.redirect_uris, post_logout_redirect_uris: wanted.post_logout_redirect_uris });
}

/** How long `close()` keeps delivering due mail and texts before leaving them to the next start. */
const OUTBOX_FLUSH_MS = 5_000;

/** The composition root: one of these per process, shared by the HTTP server and Next's code. */
export interface Runtime {
  env: Env;
  db: Db;
  pool: Pool;
  provider: Provider;
  userinfo: ReturnType<typeof userinfoHandler>;
  /** Federated sign-in routes (start, callback, return from a provider's logout). */
  federation: FederationHttp;
  csrfSecret: string;
  /** Delivers queued mail and texts (`backlog()` for metrics); flushed and stopped by `close()`. */
  outbox: OutboxWorker;
  /** The dev outbox exists: no SMTP or no SMS webhook, and the issuer is loopback (or FOYER_DEV_OUTBOX=1). */
  outboxVisible: boolean;
  /**
   * Whether this client may read it: only from this machine, unless FOYER_DEV_OUTBOX=1. With a
   * `channel`, whether that channel's messages land there (screens that mail or text say so).
   */
  outboxVisibleTo(ip: string, channel?: 'email' | 'sms'): boolean;
  close(): Promise<void>;
}


export async function startRuntime(env: Env, renderPage: PageRenderer): Promise<Runtime> {
  const db = connect(env);
  await migrate(db);
  const seed = env.configPath ? readSeedFile(env.configPath) : demoSeed(env.publicUrl);
  await applySeedIfEmpty(db.kysely, seed);
  const secret = await ensureSecret(db.kysely, 'pool-pepper');
  const mailer = env.smtpUrl ? smtpMailer(env.smtpUrl, env.mailFrom) : outboxMailer(db.kysely);
  const sms = env.smsWebhookUrl ? webhookSmsSender(env.smsWebhookUrl, env.smsWebhookSecret) : outboxSmsSender(db.kysely);
  // Queued mail and texts hold codes: sealed under a key kept in the database until keys derive
  // from the deployment's secret.
  const sealer = sealerFor(await ensureSecret(db.kysely, 'outbox-key'));
  const outbox = createOutboxWorker({ db: db.kysely, sealer, transports: { email: mailer, sms } });
  const pool = createPool({ db: db.kysely, outbox: { sealer, kick: outbox.kick }, secret, publicUrl: env.publicUrl });
  if (!env.configPath) await followPublicUrl(pool, seed);
  await ensureAccountClient(db.kysely, env.publicUrl, Date.now());
  const keys = await signingKeys(db.kysely);
  const cookieKeys = [await ensureSecret(db.kysely, 'cookie-key')];
  const provider = await createProvider({
    issuer: env.publicUrl,
    db: db.kysely,
    pool,
    keys,
    cookieKeys,
    renderPage,
    upstreamLogout: (session, target) => pool.federation.upstreamLogout(session, target, env.publicUrl),
  });
  const federation = createFederationHttp({ publicUrl: env.publicUrl, provider, pool, renderPage });
  const userinfo = userinfoHandler({ issuer: env.publicUrl, keys, pool, db: db.kysely });
  const csrfSecret = await ensureSecret(db.kysely, 'csrf-key');
  const kept = { email: !mailer.delivers, sms: !sms.delivers };
  const outboxVisible = (kept.email || kept.sms) && (env.devOutboxForced || isLoopbackUrl(env.publicUrl));
  await warmUpPasswordTiming();
  const sweeper = setInterval(() => {
    void sweepExpired(db.kysely).catch(() => undefined);
    void pool.federation.sweep().catch(() => undefined);
    void outbox.sweep().catch(() => undefined);
  }, 10 * 60_000);
  sweeper.unref();
  outbox.start();
  return {
    env,
    db,
    pool,
    provider,
    userinfo,
    federation,
    csrfSecret,
    outbox,
    outboxVisible,
    outboxVisibleTo: (ip, channel) => outboxVisible && (!channel || kept[channel]) && (env.devOutboxForced || isLoopbackIp(ip)),
    async close() {
      clearInterval(sweeper);
      await outbox.flush(OUTBOX_FLUSH_MS);
      await outbox.stop();
      await db.close();
    },
  };
}

export { installRuntime } from './runtime-handle';
