import type { Runtime } from './runtime';

/**
 * The process-wide handle to the runtime. The custom server installs it; Next's bundled copy of
 * our code finds the same object here (a global symbol), so there is one database and one provider.
 */
const KEY = Symbol.for('foyer.runtime');
type Holder = { [KEY]?: Promise<Runtime> };

export function installRuntime(r: Promise<Runtime>): Promise<Runtime> {
  (globalThis as Holder)[KEY] = r;
  return r;
}

export function runtime(): Promise<Runtime> {
  const r = (globalThis as Holder)[KEY];
  if (!r) throw new Error('Foyer runtime not started: run the server with `npm start`.');
  return r;
}

/** The runtime when one is installed (not while `next build` prerenders, nor in unit tests). */
export function startedRuntime(): Promise<Runtime> | undefined {
  return (globalThis as Holder)[KEY];
}
