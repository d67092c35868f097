import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import type { Kysely } from 'kysely';
import type Provider from 'oidc-provider';
import type { Database } from '../db/schema';
import { errorMessage, log } from '../log';
import { privateKeys, readKeySet } from './keys';

/**
 * oidc-provider takes its keys once, at construction, and has no documented way to change them
 * (its author: roll the instances instead). A rotation, made by any instance or by the CLI, must
 * reach every running instance within seconds: this polls the key table (a cheap query, no key
 * material) and, when the keys to publish or the one that signs change, builds a new provider and
 * swaps it in. Everything a provider holds lives in the database, so the swap loses nothing;
 * requests already under way finish on the provider they started on.
 */
export interface LiveProvider {
  /** The provider for the keys of the moment. Read it at each use: it changes with the keys. */
  readonly current: Provider;
  /** The keys `current` publishes (private JWKs, the signing one first); a new array after each change. */
  readonly keys: JWK[];
  /** A request handler that always answers with the current provider. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Looks at the database now (the poll does it every `pollMs`); resolves once any swap is done. */
  refresh(): Promise<void>;
  stop(): void;
}

export const KEY_POLL_MS = 2_000;

export async function startLiveProvider(opts: {
  db: Kysely<Database>;
  /** Builds a provider for these keys (the first signs); every setting of the provider belongs here. */
  build: (keys: JWK[]) => Promise<Provider>;
  pollMs?: number;
  now?: () => number;
}): Promise<LiveProvider> {
  const now = opts.now ?? Date.now;
  const load = async (set: { kids: string[]; version: string }) => {
    const keys = await privateKeys(opts.db, set.kids);
    const provider = await opts.build(keys);
    return { version: set.version, keys, provider, callback: provider.callback() };
  };
  let state = await load(await readKeySet(opts.db, now()));
  let failing = false;
  let running: Promise<void> | undefined;

  async function check(): Promise<void> {
    try {
      const set = await readKeySet(opts.db, now());
      if (set.version !== state.version) {
        state = await load(set);
        log.info({ kid: set.kids[0], published: set.kids }, 'signing keys changed: provider rebuilt');
      }
      if (failing) log.info('signing keys: the key table is readable again');
      failing = false;
    } catch (e) {
      // The keys in use stay; say so once, not at every poll.
      if (!failing) log.error({ error: errorMessage(e) }, 'signing keys: cannot read the key table, keeping the current keys');
      failing = true;
    }
  }
  const refresh = () => (running ??= check().finally(() => (running = undefined)));
  const timer = setInterval(() => void refresh(), opts.pollMs ?? KEY_POLL_MS);
  timer.unref();

  return {
    get current() {
      return state.provider;
    },
    get keys() {
      return state.keys;
    },
    handle: (req, res) => void state.callback(req, res),
    refresh,
    stop: () => clearInterval(timer),
  };
}
