import type Provider from 'oidc-provider';
import { demoSeed } from './config/seed';
import { isLoopbackIp, isLoopbackUrl, type Env } from './config/env';
import { warmUpPasswordTiming } from './pool/passwords/hash';
import { connect, migrate, type Db } from './db';
import { outboxMailer, smtpMailer } from './mail/mailer';
import { outboxSmsSender, webhookSmsSender } from './sms/sender';
import { createProvider, signingKeys, sweepExpired, userinfoHandler } from './oidc';
import { createPool, type Pool } from './pool';
import { applyConfigFile, applySeedIfEmpty } from './pool-config/apply';
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
  const seed = demoSeed(env.publicUrl);
  await (env.configPath ? applyConfigFile(db, env.configPath, { prune: env.configPrune }) : applySeedIfEmpty(db, seed));
  const secret = await ensureSecret(db.kysely, 'pool-pepper');
  const mailer = env.smtpUrl ? smtpMailer(env.smtpUrl, env.mailFrom) : outboxMailer(db.kysely);
  const sms = env.smsWebhookUrl ? webhookSmsSender(env.smsWebhookUrl, env.smsWebhookSecret) : outboxSmsSender(db.kysely);
  const pool = createPool({ db: db.kysely, mailer, sms, secret, publicUrl: env.publicUrl });
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
  }, 10 * 60_000);
  sweeper.unref();
  return {
    env,
    db,
    pool,
    provider,
    userinfo,
    federation,
    csrfSecret,
    outboxVisible,
    outboxVisibleTo: (ip, channel) => outboxVisible && (!channel || kept[channel]) && (env.devOutboxForced || isLoopbackIp(ip)),
    async close() {
      clearInterval(sweeper);
      await db.close();
    },
  };
}

export { installRuntime } from './runtime-handle';
