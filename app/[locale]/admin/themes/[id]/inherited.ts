import { builtInThemes, resolveOver } from '@/themes/built-in';
import { builtInTheme } from '@/themes/css';
import type { ResolvedTheme, ThemeInput } from '@/themes/schema';

/**
 * What a draft inherits: the theme it `extends` (stored, or built in) resolved down to the
 * built-in default, as the pool resolves it (an unknown parent or a loop stops at the default;
 * the API refuses those on save anyway).
 */
export function parentOf(draft: Pick<ThemeInput, 'id' | 'extends'>, stored: ReadonlyMap<string, ThemeInput>): ResolvedTheme {
  const seen = new Set([draft.id]);
  const chain: ThemeInput[] = [];
  for (let id = draft.extends; id && id !== 'default' && !seen.has(id); ) {
    seen.add(id);
    const t = stored.get(id) ?? builtInThemes[id];
    if (!t) break;
    chain.unshift(t);
    id = t.extends;
  }
  return chain.reduce(resolveOver, builtInTheme);
}

