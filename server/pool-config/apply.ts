import { readPoolConfig, seedSections, type PoolConfig, type Seed } from '../config/seed';
import type { Kysely } from 'kysely';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { REDACTED } from '../config/redacted';
import { withHashedSecrets } from '../pool/client-secrets';
import { exclusively } from './lock';
import { planConfig, type Plan } from './plan';
import { logPlan } from './report';
import { readStoredState, storedUsers } from './state';
import { hashSeedPasswords, writePlan } from './write';
import { prepareConfigThemes } from './themes';

export interface ApplyOptions {
  /** Remove what the file's sections do not name (FOYER_CONFIG_PRUNE=1, `--prune`). */
  prune?: boolean;
  /** Compute the plan only (`foyer config check`). */
  dryRun?: boolean;
  now?: number;
  /** Told the plan before anything is written (inside the transaction, so it may be told again on a retry). */
  onPlan?: (plan: Plan) => void;
}

/**
 * Applies a pool config as the desired state of what it names, in one transaction that no other
 * instance or CLI runs beside (see ./lock): all or nothing, and idempotent, so every instance of
 * a deployment can apply the same file at start.
 */
/** Client secrets are compared and stored as their hashes (see server/pool/client-secrets.ts). */
async function hashedConfig(db: Db, config: PoolConfig, create: boolean): Promise<PoolConfig> {
  const clients = await withHashedSecrets(db.kysely, config.seed.clients, { create, keep: REDACTED });
  return { ...config, seed: { ...config.seed, clients } };
}

export async function applyPoolConfig(db: Db, given: PoolConfig, opts: ApplyOptions = {}): Promise<Plan> {
  const prune = opts.prune ?? false;
  const config = await hashedConfig(db, given, !opts.dryRun);
  const themes = await prepareConfigThemes(config, db.kysely);
  if (opts.dryRun) {
    const plan = planConfig(await readStoredState(db.kysely, config.seed.users), config, { prune, themes });
    opts.onPlan?.(plan);
    return plan;
  }
  // argon2 takes a while per user: hash outside the lock the passwords of users not there yet.
  const known = await storedUsers(db.kysely, config.seed.users);
  const hashes = await hashSeedPasswords(config.seed.users.filter((u) => !known.usernames.has(u.username.toLowerCase())));
  return exclusively(db, async (tx) => {
    const plan = planConfig(await readStoredState(tx, config.seed.users), config, { prune, themes });
    opts.onPlan?.(plan);
    await writePlan(tx, plan, hashes, opts.now ?? Date.now());
    return plan;
  });
}

/** FOYER_CONFIG at start: applied every time, its plan logged. */
export async function applyConfigFile(db: Db, file: string, opts: { prune?: boolean } = {}): Promise<Plan> {
  return applyPoolConfig(db, readPoolConfig(file), { prune: opts.prune, onPlan: logPlan });
}

/**
 * The demo seed (no FOYER_CONFIG), and tests: applied to a database never configured only, so
 * what an admin changed later stays. Safe when several instances start at once.
 */
export async function applySeedIfEmpty(db: Db, seed: Seed, now = Date.now()): Promise<boolean> {
  const configured = async (k: Kysely<Database>) => !!(await k.selectFrom('settings').select('name').where('name', '=', 'pool').executeTakeFirst());
  if (await configured(db.kysely)) return false;
  const config = await hashedConfig(db, { seed, sections: new Set(seedSections), source: 'seed' }, true);
  const hashes = await hashSeedPasswords(seed.users);
  const themes = await prepareConfigThemes(config, db.kysely);
  return exclusively(db, async (tx) => {
    if (await configured(tx)) return false;
    await writePlan(tx, planConfig(await readStoredState(tx, seed.users), config, { prune: false, themes }), hashes, now);
    return true;
  });
}
