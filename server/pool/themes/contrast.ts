import { contrastPairs as pairs, contrastRatio, shownRatio } from '../../../themes/contrast';
import type { Palette, ResolvedTheme } from '../../../themes/schema';

// One formula for the guard and the built-in themes' tests.
export { contrastRatio, shownRatio } from '../../../themes/contrast';

export interface ContrastProblem {
  mode: 'light' | 'dark';
  fg: keyof Palette;
  bg: keyof Palette;
  /** The exact ratio (shown rounded down: `shownRatio`). */
  ratio: number;
  min: number;
}

/** The pairs below AA, in the modes the theme shows (`mode: light` never shows its dark palette). */
export function contrastProblems(theme: Pick<ResolvedTheme, 'colors' | 'mode'>): ContrastProblem[] {
  const modes = theme.mode === 'auto' ? (['light', 'dark'] as const) : [theme.mode];
  return modes.flatMap((mode) =>
    pairs.flatMap(({ fg, bg, min }) => {
      const ratio = contrastRatio(theme.colors[mode][fg], theme.colors[mode][bg]);
      return ratio < min ? [{ mode, fg, bg, ratio, min }] : [];
    }),
  );
}

export function describeContrast(p: ContrastProblem): string {
  return `${p.mode} ${p.fg}/${p.bg} contrast is ${shownRatio(p.ratio)}:1, below WCAG 2.2 AA's ${p.min}:1`;
}
