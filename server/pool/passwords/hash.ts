import { hash } from '@node-rs/argon2';
import { metrics } from '../../metrics';
import { parseHash } from './formats';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. 2 = Algorithm.Argon2id (a const enum).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Counts the work waiting for or running on the hashing threads (a Prometheus gauge). */
async function queued<T>(work: () => Promise<T>): Promise<T> {
  metrics.passwordHashes.inc();
  try {
    return await work();
  } finally {
    metrics.passwordHashes.dec();
  }
}

export function hashPassword(password: string): Promise<string> {
  return queued(() => hash(normalizePassword(password), options));
}

/** Our own hashes prefix; any other (imported, or older parameters) is replaced at sign-in. */
const CURRENT = `$argon2id$v=19$m=${options.memoryCost},t=${options.timeCost},p=${options.parallelism}$`;

/**
 * Checks a password against our argon2id hash or an imported one (see ./formats). Ours hash the
 * NFKC form; other systems hashed what was typed, so that is tried too when it differs.
 */
export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if ('problem' in parsed) return false;
  const normalized = normalizePassword(password);
  return queued(async () => {
    if (await parsed.verify(normalized).catch(() => false)) return true;
    return normalized !== password && !stored.startsWith(CURRENT) && (await parsed.verify(password).catch(() => false));
  });
}

/** True for a hash that is not argon2id with today's parameters: replace it once the password is known. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(CURRENT);
}

let dummy: Promise<string> | undefined;

/** Made at start-up, so even the first unknown user costs the same as a known one. */
export async function warmUpPasswordTiming(): Promise<void> {
  dummy ??= hashPassword('foyer-dummy-password-for-timing');
  await dummy;
}

/** Spends the same time as a real check, so an unknown user answers like a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword('foyer-dummy-password-for-timing');
  await verifyPassword(await dummy, password);
  return false;
}
