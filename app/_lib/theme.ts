import { builtInTheme } from '@/themes/css';
import type { ResolvedTheme } from '@/themes/schema';

/**
 * The theme a screen renders with: the app client's, else the pool's. The one place screens get
 * it from; until themes are stored it is the built-in default.
 */
export async function currentTheme(_clientId: string | null): Promise<ResolvedTheme> {
  return builtInTheme;
}
