import { createDecipheriv, createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { sealerFor, vault as processVault, type Vault } from '../../secrets';

/**
 * Factor secrets (TOTP) and the pool's short-lived secrets (a TOTP secret being set up, a value
 * to show once) are sealed under the deployment secret (server/secrets), never under a key kept in
 * the same database. Each kind of value has its context: sealed for one, it does not open as another.
 */
export const totpFactorSealer = (userId: string) => sealerFor(`mfa_factors:${userId}`);
export const pendingTotpSealer = sealerFor('account_sessions:pending_totp');
export const revealSealer = sealerFor('account_sessions:reveal');

/** How factor secrets were sealed before the vault: under a key derived from the pool's pepper. */
function unsealLegacy(pepper: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', createHash('sha256').update(`foyer-mfa-seal:${pepper}`).digest(), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

/**
 * At start: seals under the current deployment secret the TOTP secrets still sealed the old way
 * (with the pepper) or under a previous deployment secret. Each row only if unchanged since read,
 * so instances starting together do it once; run again, it changes nothing.
 */
export async function resealFactorSecrets(db: Kysely<Database>, pepper: string, v: Vault = processVault()): Promise<number> {
  let count = 0;
  const rows = await db.selectFrom('mfa_factors').select(['id', 'user_id', 'secret']).where('kind', '=', 'totp').execute();
  for (const row of rows) {
    if (v.isCurrent(row.secret)) continue;
    const sealer = sealerFor(`mfa_factors:${row.user_id}`, v);
    const plain = v.isSealed(row.secret) ? sealer.unseal(row.secret) : unsealLegacy(pepper, row.secret);
    const done = await db.updateTable('mfa_factors').set({ secret: sealer.seal(plain) }).where('id', '=', row.id).where('secret', '=', row.secret).executeTakeFirst();
    count += Number(done.numUpdatedRows);
  }
  return count;
}
