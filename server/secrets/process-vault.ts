import type { Vault } from './vault';

/**
 * The process's vault, made from the deployment secret at start (server/runtime.ts, the CLI) and
 * shared through a global symbol so Next's bundled copy of our code finds the same one.
 */
const KEY = Symbol.for('foyer.vault');
type Holder = { [KEY]?: Vault };

export function installVault(v: Vault): Vault {
  (globalThis as Holder)[KEY] = v;
  return v;
}

export function vault(): Vault {
  const v = (globalThis as Holder)[KEY];
  if (!v) throw new Error('The deployment secret is not loaded (server/runtime.ts installs it at start).');
  return v;
}
