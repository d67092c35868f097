import type Provider from 'oidc-provider';
import { demoSeed, readSeedFile } from './config/seed';
import { isLoopbackUrl, readEnv, type Env } from './config/env';
import { connect, migrate, type Db } from './db';
import { outboxMailer, smtpMailer } from './mail/mailer';
import { createProvider, signingKeys, sweepExpired, userinfoHandler } from './oidc';
import { createPool, type Pool } from './pool';
import { applySeedIfEmpty } from './pool/seed';
import { ensureSecret } from './pool/secrets';

/** The composition root: one of these per process, shared by the HTTP server and Next's code. */
export interface Runtime {
  env: Env;
  db: Db;
  pool: Pool;
  provider: Provider;
  userinfo: ReturnType<typeof userinfoHandler>;
  csrfSecret: string;
  /** The dev outbox page is served only where it cannot leak to the internet. */
  outboxVisible: boolean;
  close(): Promise<void>;
}

type PageRenderer = Parameters<typeof createProvider>[0]['renderPage'];

export async function startRuntime(env: Env, renderPage: PageRenderer): Promise<Runtime> {
  const db = connect(env);
  await migrate(db);
  const seed = env.configPath ? readSeedFile(env.configPath) : demoSeed(env.publicUrl);
  await applySeedIfEmpty(db.kysely, seed);
  const secret = await ensureSecret(db.kysely, 'pool-pepper');
  const mailer = env.smtpUrl ? smtpMailer(env.smtpUrl, env.mailFrom) : outboxMailer(db.kysely);
  const pool = createPool({ db: db.kysely, mailer, secret });
  const keys = await signingKeys(db.kysely);
  const cookieKeys = [await ensureSecret(db.kysely, 'cookie-key')];
  const provider = await createProvider({ issuer: env.publicUrl, db: db.kysely, pool, keys, cookieKeys, renderPage });
  const userinfo = userinfoHandler({ issuer: env.publicUrl, keys, pool, db: db.kysely });
  const csrfSecret = await ensureSecret(db.kysely, 'csrf-key');
  const sweeper = setInterval(() => void sweepExpired(db.kysely).catch(() => undefined), 10 * 60_000);
  sweeper.unref();
  return {
    env,
    db,
    pool,
    provider,
    userinfo,
    csrfSecret,
    outboxVisible: !mailer.delivers && (env.devOutboxForced || isLoopbackUrl(env.publicUrl)),
    async close() {
      clearInterval(sweeper);
      await db.close();
    },
  };
}

export { readEnv };
export { installRuntime, runtime } from './runtime-handle';
