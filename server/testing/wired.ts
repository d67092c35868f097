import { providerRevocation } from '../oidc/revocation';

/**
 * The layers above the pool, as server/runtime.ts wires them, for pool tests that need the real
 * thing (the pool itself never imports them).
 */
export const wiredRevocation = (now?: () => number) => providerRevocation(now);
