import { vault as processVault } from './process-vault';
import type { Vault } from './vault';

export interface Sealer {
  seal(plain: string): string;
  unseal(sealed: string): string;
  /** Undefined when it does not open: sealed for another context or deployment secret, tampered, or not sealed. */
  tryUnseal(sealed: string): string | undefined;
}

/**
 * seal/unseal under the deployment secret, bound to one context (e.g. the outbox's payloads): a
 * value sealed for another context does not open here. `v` defaults to the process's vault, read
 * at each use.
 */
export function sealerFor(context: string, v?: Vault): Sealer {
  const unseal = (sealed: string) => (v ?? processVault()).unseal(sealed, context);
  return {
    seal: (plain) => (v ?? processVault()).seal(plain, context),
    unseal,
    tryUnseal(sealed) {
      try {
        return unseal(sealed);
      } catch {
        return undefined;
      }
    },
  };
}
