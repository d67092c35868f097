import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. 2 = Algorithm.Argon2id (a const enum).
const options = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function hashPassword(password: string): Promise<string> {
  return hash(normalizePassword(password), options);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, normalizePassword(password));
  } catch {
    return false;
  }
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
