import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { demoSeed } from './config/seed';
import { isLoopbackIp, isLoopbackUrl, type Env } from './config/env';
import { warmUpPasswordTiming } from './pool/passwords/hash';
import { connect, migrate, type Db } from './db';
import { outboxMailer, smtpMailer, sweepDevOutbox } from './mail/mailer';
import { outboxSmsSender, webhookSmsSender } from './sms/sender';
import { createProvider, finishLogin, frameAncestorsFor, readInteraction, providerRevocation, startLiveProvider, sweepExpired, userinfoHandler, introspectionHandler } from './oidc';
import { resealSigningKeys } from './oidc/keys';
import { createPool, type Pool, type SignedIn } from './pool';
import { createOutboxWorker, type OutboxWorker } from './outbox/worker';
import { applyConfigFile, applySeedIfEmpty } from './pool-config/apply';
import { installVault, resealSecrets, resolveDeploymentSecret, sealerFor, secretStore } from './secrets';
import { resealProviderSecrets } from './federation/providers';
import { hashStoredClientSecrets } from './pool/client-secrets';
import { resealFactorSecrets } from './pool/mfa/seal';
import { log } from './log';
import { metrics } from './metrics';
import { ensureAccountClient, ensureConsoleClient } from './pool/account/client';
import { createFederation, type Federation } from './federation';
import { createFederationHttp, type FederationHttp } from './federation/http';
import type { UpstreamSession } from './federation/sessions';
import type { PageRenderer } from './http/rendered-page';
import type { Themes } from './pool/themes';
import { bearerAuthenticator, consoleAuthenticator, createAdminApi, type AdminApi } from './admin';
import type { FramingTarget } from './http/embedding';
import { cognitoApi, type CognitoApi } from './oidc/cognito-api';

/**
 * The built-in demo app's redirect URIs follow PUBLIC_URL (and PORT), which may differ from the
 * first start's; its secret stays as first made.
 */
async function followPublicUrl(pool: Pool, demo: ReturnType<typeof demoSeed>): Promise<void> {
  const wanted = demo.clients[0];
  const stored = await pool.clients.find({ clientId: wanted.client_id });
  if (!stored) return;
  if (stored.redirect_uris.join() === wanted.redirect_uris.join() && stored.post_logout_redirect_uris.join() === wanted.post_logout_redirect_uris.join()) return;
  await pool.clients.save({ client: { ...stored, redirect_uris: wanted.redirect_uris, post_logout_redirect_uris: wanted.post_logout_redirect_uris } });
}

/** How long `close()` keeps delivering due mail and texts before leaving them to the next start. */
const OUTBOX_FLUSH_MS = 5_000;

/** The composition root: one of these per process, shared by the HTTP server and Next's code. */
export interface Runtime {
  env: Env;
  db: Db;
  pool: Pool;
  /** The provider for the current signing keys: rebuilt when they change, so read it at each use. */
  readonly provider: Provider;
  /** oidc-provider's request handler, always the current provider's. */
  handleOidc(req: IncomingMessage, res: ServerResponse): void;
  userinfo: ReturnType<typeof userinfoHandler>;
  introspection: ReturnType<typeof introspectionHandler>;
  /** Cognito's user-pool JSON API at `POST /` (refresh, revoke, global sign-out, the user). */
  cognitoApi: CognitoApi;
  /** Themes at request time: which applies to a client's screens, its stylesheet and assets. */
  themes: Themes;
  /** Outside identity providers: sign-in through them, linking, federated sign-out. */
  federation: Federation;
  /** Federated sign-in routes (start, callback, return from a provider's logout). */
  federationHttp: FederationHttp;
  /** The admin REST API (/admin/api/v1). */
  adminApi: AdminApi;
  /**
   * Finishes a sign-in (the pool's one way, with federation's hook and the provider's interaction):
   * where the browser goes next, or undefined when the interaction expired. `upstream`: the outside
   * provider's session a federated sign-in came from.
   */
  finishSignIn(headers: Record<string, string>, uid: string, done: SignedIn, upstream?: UpstreamSession): Promise<string | undefined>;
  /** Origins allowed to frame this step of a sign-in (its client's `frame_ancestors`); none mostly. */
  frameAncestors(target: FramingTarget): Promise<string[]>;
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
  const deployment = resolveDeploymentSecret(env);
  const vault = installVault(deployment.vault);
  if (env.databaseUrl && deployment.file) {
    log.warn({ file: deployment.file }, 'FOYER_SECRET is not set: this instance uses the secret in its data directory. Every instance on this database must be given the same FOYER_SECRET.');
  }
  // Next.js encrypts values bound to server actions with this key; every instance must agree.
  process.env.NEXT_SERVER_ACTIONS_ENCRYPTION_KEY = vault.derive('next server actions').toString('base64');
  const db = connect(env);
  await migrate(db);
  const secrets = secretStore(db.kysely, vault);
  // Everything sealed in clear by older versions, or under FOYER_SECRET_PREVIOUS, is sealed under
  // the current secret (sign-in flows are not: they open with the previous one and end within the hour).
  const resealed =
    (await resealSecrets(db.kysely, vault)) +
    (await resealSigningKeys(db.kysely)) +
    (await resealProviderSecrets(db.kysely, vault)) +
    (await resealFactorSecrets(db.kysely, await secrets.ensure('pool-pepper'), vault)) +
    (await hashStoredClientSecrets(db.kysely));
  if (resealed > 0) log.info({ count: resealed }, 'sealed secrets under the current deployment secret');
  const seed = demoSeed(env.publicUrl);
  await (env.configPath ? applyConfigFile(db, env.configPath, { prune: env.configPrune }) : applySeedIfEmpty(db, seed));
  const secret = await secrets.ensure('pool-pepper');
  const mailer = env.smtpUrl ? smtpMailer(env.smtpUrl, env.mailFrom) : outboxMailer(db.kysely);
  const sms = env.smsWebhookUrl ? webhookSmsSender(env.smsWebhookUrl, env.smsWebhookSecret) : outboxSmsSender(db.kysely);
  // Queued mail and texts hold codes: sealed under the deployment secret (a previous one, during a
  // rotation, still opens what it sealed).
  const sealer = sealerFor('messages', vault);
  const outbox = createOutboxWorker({ db: db.kysely, sealer, transports: { email: mailer, sms } });
  metrics.watchOutbox(() => outbox.backlog());
  const pool = createPool({ db: db.kysely, outbox: { sealer, kick: outbox.kick }, secret, publicUrl: env.publicUrl, revocation: providerRevocation() });
  // The layers above the pool are built on it: it never imports them.
  const federation = createFederation(pool.ctx);
  if (!env.configPath) await followPublicUrl(pool, seed);
  await ensureAccountClient(db.kysely, env.publicUrl, Date.now());
  await ensureConsoleClient(db.kysely, env.publicUrl, Date.now());
  const cookieKeys = [await secrets.ensure('cookie-key')];
  // Rebuilt when a key rotation (from any instance or the CLI) changes the keys.
  const live = await startLiveProvider({
    db: db.kysely,
    build: (keys) =>
      createProvider({
        issuer: env.publicUrl,
        db: db.kysely,
        pool,
        keys,
        cookieKeys,
        renderPage,
        upstreamLogout: (session, target) => federation.upstreamLogout(session, target, env.publicUrl),
      }),
  });
  // Interactions do not depend on the keys: the first provider serves them as well as any.
  // The interaction names the app signed in to (its MFA requirement, the sign-in's event).
  const finishSignIn: Runtime['finishSignIn'] = async (headers, uid, done, upstream) => {
    const view = await readInteraction(live.current, headers, uid);
    if (!view) return undefined;
    const ip = headers['x-foyer-client-ip'] ?? 'unknown';
    return pool.flow.finish({ uid, done, clientId: view.clientId, ip, complete: (login) => finishLogin(live.current, headers, uid, login), hooks: [federation.finishHook(upstream)] });
  };
  const federationHttp = createFederationHttp({ publicUrl: env.publicUrl, provider: live.current, pool, federation, finishSignIn, renderPage });
  const userinfo = userinfoHandler({ issuer: env.publicUrl, keys: () => live.keys, pool, db: db.kysely });
  // Bearer tokens of the client_credentials grant, verified with the keys the provider publishes;
  // else the console's session cookie.
  const adminApi = createAdminApi({
    pool,
    issuer: env.publicUrl,
    authenticators: [bearerAuthenticator({ issuer: env.publicUrl, keys: () => live.keys }), consoleAuthenticator({ issuer: env.publicUrl, pool })],
  });
  const introspection = introspectionHandler({ issuer: env.publicUrl, keys: () => live.keys, pool, db: db.kysely });
  const cognito = cognitoApi({ issuer: env.publicUrl, keys: () => live.keys, pool, db: db.kysely, handleOidc: live.handle });
  const csrfSecret = await secrets.ensure('csrf-key');
  const kept = { email: !mailer.delivers, sms: !sms.delivers };
  const outboxVisible = (kept.email || kept.sms) && (env.devOutboxForced || isLoopbackUrl(env.publicUrl));
  await warmUpPasswordTiming();
  const sweeper = setInterval(() => {
    // Each layer sweeps its own tables.
    void sweepExpired(db.kysely).catch(() => undefined);
    void pool.sweep().catch(() => undefined);
    void pool.sweepEvents({ days: env.eventsRetentionDays }).catch(() => undefined);
    void pool.sweepAudit({ days: env.auditRetentionDays }).catch(() => undefined);
    void federation.sweep().catch(() => undefined);
    void sweepDevOutbox(db.kysely).catch(() => undefined);
    void outbox.sweep().catch(() => undefined);
  }, 10 * 60_000);
  sweeper.unref();
  outbox.start();
  return {
    env,
    db,
    pool,
    get provider() {
      return live.current;
    },
    handleOidc: live.handle,
    userinfo,
    introspection,
    cognitoApi: cognito,
    themes: pool.themes,
    federation,
    federationHttp,
    adminApi,
    finishSignIn,
    frameAncestors: (target) => frameAncestorsFor(live.current, pool, target),
    csrfSecret,
    outbox,
    outboxVisible,
    outboxVisibleTo: (ip, channel) => outboxVisible && (!channel || kept[channel]) && (env.devOutboxForced || isLoopbackIp(ip)),
    async close() {
      clearInterval(sweeper);
      live.stop();
      await cognito.close();
      await outbox.flush(OUTBOX_FLUSH_MS);
      await outbox.stop();
      await db.close();
    },
  };
}

export { installRuntime } from './runtime-handle';
