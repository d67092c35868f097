import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Envelope encryption for what Foyer keeps in its database (signing keys, the pepper, cookie keys,
 * SAML keys…): sealed with AES-256-GCM under a key derived from the deployment secret
 * (FOYER_SECRET), which is never in the database. A sealed value names the key that sealed it, so
 * after a rotation (FOYER_SECRET_PREVIOUS) old values still open and are sealed again.
 *
 *   v1.<key id>.<iv>.<tag>.<ciphertext>   (base64url parts)
 */
export interface Vault {
  /** Identifies the current deployment secret (not secret itself). */
  readonly keyId: string;
  seal(plain: string, context: string): string;
  /** Throws a clear error when no key of this vault sealed it (wrong FOYER_SECRET). */
  unseal(sealed: string, context: string): string;
  isSealed(value: string): boolean;
  /** Sealed under the current key (false: plaintext or an older key, to be sealed again). */
  isCurrent(value: string): boolean;
  /** A key for `purpose` derived from the deployment secret (HKDF-SHA256), e.g. Next's action key. */
  derive(purpose: string, bytes?: number): Buffer;
}

const PREFIX = 'v1';

function derive(secret: Buffer, purpose: string, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from('foyer'), Buffer.from(purpose), bytes));
}

type Key = { id: string; aead: Buffer; secret: Buffer };

function keyFor(secret: Buffer): Key {
  const id = createHmac('sha256', derive(secret, 'key id')).update('foyer').digest('base64url').slice(0, 8);
  return { id, aead: derive(secret, 'database sealing'), secret };
}

/** `current` seals; `previous` (during a rotation) only opens. */
export function createVault(current: Buffer, previous: Buffer[] = []): Vault {
  const keys = [current, ...previous].map(keyFor);
  const now = keys[0];
  return {
    keyId: now.id,
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', now.aead, iv);
      // The context (e.g. the row's name) is authenticated: a sealed value moved elsewhere fails.
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [PREFIX, now.id, ...[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'))].join('.');
    },
    unseal(sealed, context) {
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== PREFIX) throw new Error('not a sealed value');
      const key = keys.find((k) => k.id === parts[1]);
      if (!key) {
        throw new Error(
          `a secret in the database was sealed with another deployment secret (key ${parts[1]}); this instance has ${keys.map((k) => k.id).join(', ')}. Give every instance the same FOYER_SECRET (and FOYER_SECRET_PREVIOUS during a rotation).`,
        );
      }
      const [iv, tag, body] = parts.slice(2).map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', key.aead, iv);
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    },
    isSealed: (value) => value.startsWith(`${PREFIX}.`) && value.split('.').length === 5,
    isCurrent: (value) => value.startsWith(`${PREFIX}.${now.id}.`),
    derive: (purpose, bytes) => derive(current, purpose, bytes),
  };
}
