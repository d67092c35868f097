import type { PoolContext } from './context';

const DAY_MS = 24 * 3600_000;

/** Expired flows, codes, challenges, custom-text previews, rate-limit windows and locks; lookups already ignore them. */
export async function sweepPool(ctx: Pick<PoolContext, 'db' | 'now'>): Promise<void> {
  const { db } = ctx;
  const now = ctx.now();
  await db.deleteFrom('sign_in_flows').where('expires_at', '<=', now).execute();
  await db.deleteFrom('codes').where('expires_at', '<=', now - DAY_MS).execute();
  await db.deleteFrom('decoy_codes').where('expires_at', '<=', now - DAY_MS).execute();
  await db.deleteFrom('custom_text_previews').where('expires_at', '<=', now).execute();
  await db.deleteFrom('webauthn_challenges').where('expires_at', '<=', now).execute();
  await db.deleteFrom('rate_limits').where('window_start', '<=', now - DAY_MS).execute();
  // A lock long over, from an idle name (sprayed unknown names would pile up otherwise).
  await db.deleteFrom('lockouts').where('locked_until', '<=', now - DAY_MS).where('updated_at', '<=', now - DAY_MS).execute();
}
