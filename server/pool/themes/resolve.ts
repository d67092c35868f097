import { builtInThemes as shippedThemes, resolveOver } from '../../../themes/built-in';
import { builtInTheme } from '../../../themes/css';
import type { ResolvedTheme, ThemeInput } from '../../../themes/schema';

/**
 * Themes shipped in the build, by id: the root of every `extends` chain. The other built-in themes
 * (themes/*.json) register here.
 */
export const builtInThemes: Record<string, ResolvedTheme> = {
  default: builtInTheme,
  ...Object.fromEntries(Object.entries(shippedThemes).map(([id, t]) => [id, resolveOver(builtInTheme, t)])),
};
export const DEFAULT_THEME_ID = 'default';

export class ThemeChainError extends Error {}

/** The chain from `id` up to (not including) a built-in theme, nearest first; refuses unknown ids and cycles. */
function chain(id: string, themes: ReadonlyMap<string, ThemeInput>): { own: ThemeInput[]; root: ResolvedTheme } {
  const own: ThemeInput[] = [];
  const seen: string[] = [];
  let at: string | undefined = id;
  while (at !== undefined) {
    if (seen.includes(at)) throw new ThemeChainError(`theme "${id}" extends itself: ${[...seen, at].join(' → ')}`);
    seen.push(at);
    const stored = themes.get(at);
    if (!stored) {
      const builtIn = builtInThemes[at];
      if (!builtIn) throw new ThemeChainError(seen.length === 1 ? `theme "${at}" does not exist` : `theme "${seen.at(-2)}" extends "${at}", which does not exist`);
      return { own, root: builtIn };
    }
    own.push(stored);
    at = stored.extends ?? DEFAULT_THEME_ID;
  }
  throw new ThemeChainError(`theme "${id}" has no root`);
}

/** A theme merged over its ancestors (each step by `resolveOver`, the built-in themes' merge). */
export function resolveTheme(id: string, themes: ReadonlyMap<string, ThemeInput>): ResolvedTheme {
  const { own, root } = chain(id, themes);
  const out = own.reverse().reduce(resolveOver, root);
  return { ...out, id, extends: own[0]?.extends ?? (id === root.id ? undefined : root.id) };
}
