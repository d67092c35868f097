import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** Factor secrets are stored sealed (AES-256-GCM) under a key derived from the pool's secret. */
function key(poolSecret: string): Buffer {
  return createHash('sha256').update(`foyer-mfa-seal:${poolSecret}`).digest();
}

export function seal(poolSecret: string, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(poolSecret), iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function unseal(poolSecret: string, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  const decipher = createDecipheriv('aes-256-gcm', key(poolSecret), iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

/** seal/unseal bound to one key (e.g. for the outbox's payloads). */
export function sealerFor(key: string): { seal(plain: string): string; unseal(sealed: string): string } {
  return { seal: (plain) => seal(key, plain), unseal: (sealed) => unseal(key, sealed) };
}
